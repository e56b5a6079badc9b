import GRDB

/// The SQLite schema, as numbered migrations. Times are milliseconds since 1970 (UTC); JSON
/// documents are text.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("1-foundation") { db in
            try db.execute(
                sql: """
                    CREATE TABLE settings (
                        key TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    );
                    CREATE TABLE accounts (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL,
                        key_digest TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE webhooks (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        enabled INTEGER NOT NULL,
                        disabled_reason TEXT,
                        settings TEXT NOT NULL,
                        secrets TEXT NOT NULL,
                        max_in_flight INTEGER NOT NULL,
                        health_state TEXT NOT NULL DEFAULT 'healthy',
                        consecutive_failures INTEGER NOT NULL DEFAULT 0,
                        failing_since INTEGER,
                        last_error TEXT,
                        next_probe_at INTEGER,
                        -- When this webhook next has a delivery to lease (or a lease running out):
                        -- the delivery queue is a queue of webhooks, so a backlog at one
                        -- receiver never stands in front of another's.
                        next_due_at INTEGER,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX webhooks_by_account ON webhooks(account_id, id);
                    CREATE INDEX webhooks_due ON webhooks(next_due_at) WHERE enabled = 1 AND next_due_at IS NOT NULL;
                    CREATE TABLE calls (
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        id TEXT NOT NULL,
                        begin_values TEXT NOT NULL,
                        end_values TEXT,
                        end_receipt TEXT,
                        started_at INTEGER NOT NULL,
                        ended_at INTEGER,
                        PRIMARY KEY (account_id, id)
                    );
                    CREATE INDEX calls_by_start ON calls(account_id, started_at, id);
                    CREATE TABLE leads (
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        id TEXT NOT NULL,
                        token_values TEXT NOT NULL,
                        message_count INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (account_id, id)
                    );
                    CREATE INDEX leads_by_creation ON leads(account_id, created_at, id);
                    CREATE TABLE events (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        kind TEXT NOT NULL,
                        subject_id TEXT NOT NULL,
                        token_values TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE deliveries (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL,
                        webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                        event_id TEXT NOT NULL REFERENCES events(id),
                        event_kind TEXT NOT NULL,
                        subject_id TEXT NOT NULL,
                        status TEXT NOT NULL,
                        attempt_count INTEGER NOT NULL DEFAULT 0,
                        schedule_attempts INTEGER NOT NULL DEFAULT 0,
                        schedule_started_at INTEGER NOT NULL,
                        -- NULL while a pending delivery waits for an earlier one of the same call
                        -- or lead to the same webhook (per-call order); otherwise when it is due,
                        -- or when its lease runs out.
                        next_attempt_at INTEGER,
                        lease_owner TEXT,
                        payload BLOB,
                        content_type TEXT,
                        last_response_status INTEGER,
                        last_error TEXT,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX deliveries_queue ON deliveries(webhook_id, next_attempt_at) WHERE status = 'pending';
                    CREATE INDEX deliveries_order ON deliveries(webhook_id, subject_id) WHERE status = 'pending';
                    CREATE INDEX deliveries_by_account ON deliveries(account_id, id);
                    CREATE INDEX deliveries_by_webhook ON deliveries(webhook_id, id);
                    CREATE INDEX deliveries_by_subject ON deliveries(account_id, subject_id, id);
                    CREATE INDEX deliveries_by_lease ON deliveries(lease_owner) WHERE lease_owner IS NOT NULL;
                    CREATE INDEX deliveries_leased ON deliveries(webhook_id, next_attempt_at) WHERE lease_owner IS NOT NULL AND status = 'pending';
                    CREATE TABLE attempts (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
                        number INTEGER NOT NULL,
                        started_at INTEGER NOT NULL,
                        duration_ms INTEGER NOT NULL,
                        request TEXT NOT NULL,
                        response TEXT,
                        error_kind TEXT,
                        error_message TEXT
                    );
                    CREATE INDEX attempts_by_delivery ON attempts(delivery_id, number);
                    CREATE TABLE idempotency_keys (
                        account_id TEXT NOT NULL,
                        key TEXT NOT NULL,
                        fingerprint TEXT NOT NULL,
                        receipt TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (account_id, key)
                    );
                    """)
        }
        migrator.registerMigration("2-templates-and-routing") { db in
            try db.execute(
                sql: """
                    CREATE TABLE templates (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        name TEXT NOT NULL,
                        group_name TEXT,
                        format TEXT NOT NULL,
                        body TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX templates_by_account ON templates(account_id, id);
                    CREATE TABLE locations (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        token_values TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX locations_by_account ON locations(account_id, id);
                    CREATE TABLE campaigns (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        tags TEXT NOT NULL,
                        location_id TEXT REFERENCES locations(id),
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX campaigns_by_account ON campaigns(account_id, id);
                    -- Tracking numbers by their digits; one campaign per number in an account.
                    CREATE TABLE campaign_numbers (
                        account_id TEXT NOT NULL,
                        number TEXT NOT NULL,
                        campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
                        position INTEGER NOT NULL,
                        PRIMARY KEY (account_id, number)
                    );
                    CREATE INDEX campaign_numbers_by_campaign ON campaign_numbers(campaign_id, position);
                    -- Values taken from receivers' answers onto a call or lead (subject_kind 'call' or 'lead').
                    CREATE TABLE captures (
                        account_id TEXT NOT NULL,
                        subject_kind TEXT NOT NULL,
                        subject_id TEXT NOT NULL,
                        token_values TEXT NOT NULL,
                        PRIMARY KEY (account_id, subject_kind, subject_id)
                    );
                    ALTER TABLE calls ADD COLUMN caller TEXT;
                    ALTER TABLE calls ADD COLUMN campaign_id TEXT;
                    ALTER TABLE calls ADD COLUMN location_id TEXT;
                    CREATE INDEX calls_by_caller ON calls(account_id, caller, started_at);
                    ALTER TABLE leads ADD COLUMN campaign_id TEXT;
                    ALTER TABLE leads ADD COLUMN location_id TEXT;
                    ALTER TABLE deliveries ADD COLUMN payload_query TEXT;
                    ALTER TABLE deliveries ADD COLUMN payload_headers TEXT;
                    """)
        }
        migrator.registerMigration("3-one-lease-index-and-webhook-revisions") { db in
            // Every delivery is now written leased when a worker of the ingesting process has a
            // slot: an index on the owner alone cost two index writes per delivery to serve only
            // the release at shutdown, which `deliveries_leased` serves as well.
            //
            // `revision` counts changes to what a webhook is (settings, secrets, enabled, why it
            // was disabled), not to its health or due time: decoded copies are kept per revision.
            try db.execute(
                sql: """
                    DROP INDEX deliveries_by_lease;
                    ALTER TABLE webhooks ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("4-worker-heartbeats") { db in
            try db.execute(
                sql: """
                    CREATE TABLE workers (
                        owner TEXT PRIMARY KEY,
                        started_at INTEGER NOT NULL,
                        heartbeat_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("5-users-and-sessions") { db in
            try db.execute(
                sql: """
                    CREATE TABLE users (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        email TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL,
                        password_hash TEXT NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE INDEX users_by_account ON users (account_id, email);
                    CREATE TABLE sessions (
                        digest TEXT PRIMARY KEY,
                        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                        expires_at INTEGER NOT NULL
                    );
                    CREATE INDEX sessions_by_user ON sessions (user_id);
                    CREATE INDEX sessions_by_expiry ON sessions (expires_at);
                    """)
        }
        migrator.registerMigration("6-sources") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sources (
                        id TEXT PRIMARY KEY,
                        account_id TEXT NOT NULL REFERENCES accounts(id),
                        name TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        options TEXT NOT NULL,
                        secret_digest TEXT NOT NULL UNIQUE,
                        received INTEGER NOT NULL DEFAULT 0,
                        refused INTEGER NOT NULL DEFAULT 0,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX sources_by_account ON sources (account_id, id);
                    """)
        }
        migrator.registerMigration("7-call-and-lead-sources") { db in
            try db.execute(sql: "ALTER TABLE calls ADD COLUMN source_id TEXT; ALTER TABLE leads ADD COLUMN source_id TEXT;")
        }
        migrator.registerMigration("8-sign-in-throttles") { db in
            try db.execute(
                sql: """
                    CREATE TABLE sign_in_throttles (
                        key TEXT PRIMARY KEY,
                        failures INTEGER NOT NULL,
                        last_failure INTEGER,
                        reserved_until INTEGER
                    );
                    CREATE INDEX sign_in_throttles_by_last_failure ON sign_in_throttles (last_failure);
                    """)
        }
        // Retention finds calls, leads and idempotency keys by when they were last used.
        migrator.registerMigration("9-retention-of-calls-and-leads") { db in
            try db.execute(
                sql: """
                    ALTER TABLE leads ADD COLUMN updated_at INTEGER;
                    CREATE INDEX calls_by_last_activity ON calls (COALESCE(ended_at, started_at));
                    CREATE INDEX leads_by_last_activity ON leads (COALESCE(updated_at, created_at));
                    CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
                    """)
        }
        // The pending count a metrics scrape reads, kept by the database as deliveries change, so
        // a scrape costs the same however long the queue (one writer: one row is enough).
        migrator.registerMigration("10-pending-count") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pending_count (one INTEGER PRIMARY KEY CHECK (one = 1), pending INTEGER NOT NULL);
                    INSERT INTO pending_count VALUES (1, (SELECT COUNT(*) FROM deliveries WHERE status = 'pending'));
                    CREATE TRIGGER deliveries_pending_inserted AFTER INSERT ON deliveries WHEN NEW.status = 'pending'
                    BEGIN UPDATE pending_count SET pending = pending + 1; END;
                    CREATE TRIGGER deliveries_pending_changed AFTER UPDATE OF status ON deliveries WHEN (OLD.status = 'pending') <> (NEW.status = 'pending')
                    BEGIN UPDATE pending_count SET pending = pending + CASE WHEN NEW.status = 'pending' THEN 1 ELSE -1 END; END;
                    CREATE TRIGGER deliveries_pending_deleted AFTER DELETE ON deliveries WHEN OLD.status = 'pending'
                    BEGIN UPDATE pending_count SET pending = pending - 1; END;
                    """)
        }
        // An attempt is keyed by its number: recorded twice, it is stored once.
        migrator.registerMigration("11-attempts-by-number") { db in
            try db.execute(
                sql: "DROP INDEX attempts_by_delivery; CREATE UNIQUE INDEX attempts_by_delivery ON attempts (delivery_id, number);")
        }
        // A webhook's scope becomes placements (a place and a moment each) sending what it sent.
        migrator.registerMigration("12-placements") { db in
            for row in try Row.fetchAll(db, sql: "SELECT id, settings FROM webhooks") {
                guard let settings = try ScopeMigration.migrated(row["settings"]) else { continue }
                try db.execute(sql: "UPDATE webhooks SET settings = ?, revision = revision + 1 WHERE id = ?", arguments: [settings, row["id"] as String])
            }
        }
        // A delivery says whether it is about a call or a lead, as on PostgreSQL, instead of
        // deriving it from its event kind's text; per-call order is kept per kind of subject.
        migrator.registerMigration("13-subject-kind") { db in
            try db.execute(
                sql: """
                    ALTER TABLE deliveries ADD COLUMN subject_kind TEXT NOT NULL DEFAULT 'call';
                    UPDATE deliveries SET subject_kind = 'lead' WHERE event_kind LIKE 'lead.%';
                    DROP INDEX deliveries_order;
                    CREATE INDEX deliveries_order ON deliveries(webhook_id, subject_kind, subject_id) WHERE status = 'pending';
                    """)
        }
        // A call keeps changing after it ends: updates and conversions set `later_values`, every
        // event counts a version of its call or lead, and the call's page reads its events.
        migrator.registerMigration("14-later-data") { db in
            try db.execute(
                sql: """
                    ALTER TABLE calls ADD COLUMN later_values TEXT;
                    ALTER TABLE calls ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                    UPDATE calls SET version = 2 WHERE ended_at IS NOT NULL;
                    ALTER TABLE leads ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
                    UPDATE leads SET version = 1 + message_count;
                    ALTER TABLE events ADD COLUMN subject_version INTEGER;
                    ALTER TABLE events ADD COLUMN source_id TEXT;
                    CREATE INDEX events_by_subject ON events (account_id, subject_id, id);
                    CREATE TABLE conversions (
                        account_id TEXT NOT NULL,
                        id TEXT NOT NULL,
                        call_id TEXT NOT NULL,
                        token_values TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        PRIMARY KEY (account_id, id)
                    );
                    CREATE INDEX conversions_by_call ON conversions (account_id, call_id);
                    -- A held delivery is pending with held_until set and no due time: it waits for
                    -- the tokens in held_for or its time, then renders render_values.
                    ALTER TABLE deliveries ADD COLUMN held_until INTEGER;
                    ALTER TABLE deliveries ADD COLUMN held_for TEXT;
                    ALTER TABLE deliveries ADD COLUMN render_values TEXT;
                    ALTER TABLE deliveries ADD COLUMN rendered_version INTEGER;
                    CREATE INDEX deliveries_held ON deliveries (held_until) WHERE held_until IS NOT NULL;
                    """)
        }
        // A receiver's 429 or 503 with Retry-After pauses its whole webhook until then; a rate
        // limit's bucket is spent by the lease (rate_empty_until: when an emptied one has a token).
        migrator.registerMigration("15-webhook-pace") { db in
            try db.execute(
                sql: """
                    ALTER TABLE webhooks ADD COLUMN paused_until INTEGER;
                    ALTER TABLE webhooks ADD COLUMN rate_tokens REAL;
                    ALTER TABLE webhooks ADD COLUMN rate_refilled_at INTEGER;
                    ALTER TABLE webhooks ADD COLUMN rate_empty_until INTEGER;
                    """)
        }
        // An account's rule for webhooks that stay down: disabled after this many days failing.
        migrator.registerMigration("16-auto-disable") { db in
            try db.execute(sql: "ALTER TABLE accounts ADD COLUMN auto_disable_days INTEGER NOT NULL DEFAULT 5")
        }
        // Bulk replays: a job's filter, its progress and its position in creation order.
        migrator.registerMigration("17-replay-jobs") { db in
            try db.execute(sql: ReplaySQL.createTable(timestamp: "INTEGER"))
        }
        // Alerts: which webhooks are channels, their dead deliveries counted, what was told.
        migrator.registerMigration("18-alerts") { db in
            try db.execute(sql: AlertSQL.migration(timestamp: "INTEGER"))
        }
        // The W3C traceparent of the ingest that stored an event, for its attempts' spans.
        migrator.registerMigration("19-trace-parent") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN trace_parent TEXT")
        }
        return migrator
    }
}
