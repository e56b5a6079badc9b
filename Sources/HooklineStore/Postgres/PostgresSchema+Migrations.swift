/// Every version of the schema, oldest first: a database lacking some gets them in this order.
extension PostgresSchema {
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "foundation",
            sql: """
                CREATE TABLE settings (
                    key TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                );
                CREATE TABLE accounts (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    key_digest TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL
                );
                CREATE TABLE webhooks (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    enabled BOOLEAN NOT NULL,
                    disabled_reason TEXT,
                    settings TEXT NOT NULL,
                    secrets TEXT NOT NULL,
                    max_in_flight INTEGER NOT NULL,
                    health_state TEXT NOT NULL DEFAULT 'healthy',
                    consecutive_failures INTEGER NOT NULL DEFAULT 0,
                    failing_since BIGINT,
                    last_error TEXT,
                    next_probe_at BIGINT,
                    -- When this webhook next has a delivery to lease (or a lease running out): the
                    -- queue is a queue of webhooks, each locked while one worker leases from it.
                    next_due_at BIGINT,
                    -- Counts changes to what a webhook is (not its health or due time).
                    revision BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX webhooks_by_account ON webhooks(account_id, id);
                CREATE INDEX webhooks_due ON webhooks(next_due_at) WHERE enabled AND next_due_at IS NOT NULL;
                CREATE TABLE templates (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    name TEXT NOT NULL,
                    group_name TEXT,
                    format TEXT NOT NULL,
                    body TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX templates_by_account ON templates(account_id, id);
                CREATE TABLE locations (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    token_values TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX locations_by_account ON locations(account_id, id);
                CREATE TABLE campaigns (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    location_id TEXT REFERENCES locations(id),
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
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
                CREATE TABLE calls (
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    id TEXT NOT NULL,
                    begin_values TEXT NOT NULL,
                    end_values TEXT,
                    end_receipt TEXT,
                    started_at BIGINT NOT NULL,
                    ended_at BIGINT,
                    caller TEXT,
                    campaign_id TEXT,
                    location_id TEXT,
                    PRIMARY KEY (account_id, id)
                );
                CREATE INDEX calls_by_start ON calls(account_id, started_at, id);
                CREATE INDEX calls_by_caller ON calls(account_id, caller);
                CREATE TABLE leads (
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    id TEXT NOT NULL,
                    token_values TEXT NOT NULL,
                    message_count INTEGER NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    campaign_id TEXT,
                    location_id TEXT,
                    PRIMARY KEY (account_id, id)
                );
                CREATE INDEX leads_by_creation ON leads(account_id, created_at, id);
                CREATE TABLE events (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    kind TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    token_values TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                );
                CREATE TABLE deliveries (
                    id TEXT PRIMARY KEY,
                    -- Insertion order: per-call order among deliveries of one subject.
                    seq BIGINT GENERATED ALWAYS AS IDENTITY,
                    account_id TEXT NOT NULL,
                    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
                    event_id TEXT NOT NULL REFERENCES events(id),
                    event_kind TEXT NOT NULL,
                    subject_kind TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    attempt_count INTEGER NOT NULL DEFAULT 0,
                    schedule_attempts INTEGER NOT NULL DEFAULT 0,
                    schedule_started_at BIGINT NOT NULL,
                    -- NULL while a pending delivery waits for an earlier one of the same call or
                    -- lead to the same webhook; otherwise when it is due, or its lease runs out.
                    next_attempt_at BIGINT,
                    lease_owner TEXT,
                    payload BYTEA,
                    content_type TEXT,
                    payload_query TEXT,
                    payload_headers TEXT,
                    last_response_status INTEGER,
                    last_error TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX deliveries_queue ON deliveries(webhook_id, next_attempt_at, seq) WHERE status = 'pending';
                CREATE INDEX deliveries_order ON deliveries(webhook_id, subject_kind, subject_id, seq) WHERE status = 'pending';
                CREATE INDEX deliveries_leased ON deliveries(webhook_id, next_attempt_at) WHERE lease_owner IS NOT NULL AND status = 'pending';
                CREATE INDEX deliveries_by_owner ON deliveries(lease_owner) WHERE lease_owner IS NOT NULL AND status = 'pending';
                CREATE INDEX deliveries_by_account ON deliveries(account_id, id);
                CREATE INDEX deliveries_by_webhook ON deliveries(webhook_id, id);
                CREATE INDEX deliveries_by_subject ON deliveries(account_id, subject_id, id);
                CREATE TABLE attempts (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    delivery_id TEXT NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
                    number INTEGER NOT NULL,
                    started_at BIGINT NOT NULL,
                    duration_ms BIGINT NOT NULL,
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
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (account_id, key)
                );
                -- Values taken from receivers' answers onto a call or lead.
                CREATE TABLE captures (
                    account_id TEXT NOT NULL,
                    subject_kind TEXT NOT NULL,
                    subject_id TEXT NOT NULL,
                    token_values TEXT NOT NULL,
                    PRIMARY KEY (account_id, subject_kind, subject_id)
                );
                CREATE TABLE workers (
                    owner TEXT PRIMARY KEY,
                    started_at BIGINT NOT NULL,
                    heartbeat_at BIGINT NOT NULL
                );
                """),
        // Workers LISTEN on `hookline_due_<schema>`: whatever makes a webhook due now (an event
        // accepted by an api process, a replay, a release of leases, a call's next delivery)
        // moves its `next_due_at` earlier, and that one column wakes them, at commit. A due time
        // further off is found by the workers' polling. The body is on one line: migrations are
        // split into statements at ";" and a line's end.
        Migration(
            version: 2, name: "notify-due",
            sql: """
                CREATE FUNCTION hookline_notify_due() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.enabled AND NEW.next_due_at IS NOT NULL AND NEW.next_due_at <= (extract(epoch FROM clock_timestamp()) * 1000)::bigint + 1000 AND (OLD.next_due_at IS NULL OR NEW.next_due_at < OLD.next_due_at OR NOT OLD.enabled) THEN PERFORM pg_notify('hookline_due_' || TG_TABLE_SCHEMA, ''); END IF; RETURN NULL; END $$;
                CREATE TRIGGER webhooks_due AFTER UPDATE OF next_due_at, enabled ON webhooks FOR EACH ROW EXECUTE FUNCTION hookline_notify_due();
                """),
        Migration(
            version: 3, name: "users-and-sessions",
            sql: """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    email TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                );
                CREATE INDEX users_by_account ON users (account_id, email);
                CREATE TABLE sessions (
                    digest TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                    expires_at BIGINT NOT NULL
                );
                CREATE INDEX sessions_by_user ON sessions (user_id);
                CREATE INDEX sessions_by_expiry ON sessions (expires_at);
                """),
        Migration(
            version: 4, name: "sources",
            sql: """
                CREATE TABLE sources (
                    id TEXT PRIMARY KEY,
                    account_id TEXT NOT NULL REFERENCES accounts(id),
                    name TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    options TEXT NOT NULL,
                    secret_digest TEXT NOT NULL UNIQUE,
                    received BIGINT NOT NULL DEFAULT 0,
                    refused BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE INDEX sources_by_account ON sources (account_id, id);
                """),
        Migration(
            version: 5, name: "call-and-lead-sources",
            sql: """
                ALTER TABLE calls ADD COLUMN source_id TEXT;
                ALTER TABLE leads ADD COLUMN source_id TEXT;
                """),
        Migration(
            version: 6, name: "sign-in-throttles",
            sql: """
                CREATE TABLE sign_in_throttles (
                    key TEXT PRIMARY KEY,
                    failures INTEGER NOT NULL,
                    last_failure BIGINT,
                    reserved_until BIGINT
                );
                CREATE INDEX sign_in_throttles_by_last_failure ON sign_in_throttles (last_failure);
                """),
        // Retention finds calls, leads and idempotency keys by when they were last used.
        Migration(
            version: 7, name: "retention-of-calls-and-leads",
            sql: """
                ALTER TABLE leads ADD COLUMN updated_at BIGINT;
                CREATE INDEX calls_by_last_activity ON calls ((COALESCE(ended_at, started_at)));
                CREATE INDEX leads_by_last_activity ON leads ((COALESCE(updated_at, created_at)));
                CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
                """),
        // The pending count a metrics scrape reads, kept by the database as deliveries change, so
        // a scrape costs the same however long the queue. Writers append deltas (no lock shared
        // with another writer); heartbeats fold them into the total. Inserts and deletes count per
        // statement; updates only on a row whose status enters or leaves pending, so the many
        // updates that do not (leases, due times) capture nothing.
        // Function bodies are on one line: migrations are split at ";" and a line's end.
        Migration(
            version: 8, name: "pending-count",
            sql: """
                CREATE TABLE pending_count (one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), pending BIGINT NOT NULL);
                CREATE TABLE pending_count_deltas (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, delta BIGINT NOT NULL);
                INSERT INTO pending_count (pending) SELECT COUNT(*) FROM deliveries WHERE status = 'pending';
                CREATE FUNCTION hookline_pending_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO pending_count_deltas (delta) SELECT COUNT(*) FROM new_rows WHERE status = 'pending' HAVING COUNT(*) > 0; RETURN NULL; END $$;
                CREATE FUNCTION hookline_pending_updated() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO pending_count_deltas (delta) VALUES (CASE WHEN NEW.status = 'pending' THEN 1 ELSE -1 END); RETURN NULL; END $$;
                CREATE FUNCTION hookline_pending_deleted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO pending_count_deltas (delta) SELECT -COUNT(*) FROM old_rows WHERE status = 'pending' HAVING COUNT(*) > 0; RETURN NULL; END $$;
                CREATE TRIGGER deliveries_pending_inserted AFTER INSERT ON deliveries REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hookline_pending_inserted();
                CREATE TRIGGER deliveries_pending_updated AFTER UPDATE OF status ON deliveries FOR EACH ROW WHEN ((OLD.status = 'pending') IS DISTINCT FROM (NEW.status = 'pending')) EXECUTE FUNCTION hookline_pending_updated();
                CREATE TRIGGER deliveries_pending_deleted AFTER DELETE ON deliveries REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION hookline_pending_deleted();
                """),
        // An attempt is keyed by its number: a batch recorded again after its commit's answer was
        // lost stores each attempt once.
        Migration(
            version: 9, name: "attempts-by-number",
            sql: """
                DROP INDEX attempts_by_delivery;
                CREATE UNIQUE INDEX attempts_by_delivery ON attempts (delivery_id, number);
                """),
        // A webhook's scope becomes placements (a place and a moment each) sending what it sent.
        Migration(version: 10, name: "placements", sql: "", rewrite: rewriteScopes),
        // A call keeps changing after it ends: updates and conversions set `later_values`, every
        // event counts a version of its call or lead, and the call's page reads its events.
        Migration(
            version: 11, name: "later-data",
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
                    created_at BIGINT NOT NULL,
                    PRIMARY KEY (account_id, id)
                );
                CREATE INDEX conversions_by_call ON conversions (account_id, call_id);
                -- A held delivery is pending with held_until set and no due time: it waits for
                -- the tokens in held_for or its time, then renders render_values.
                ALTER TABLE deliveries ADD COLUMN held_until BIGINT;
                ALTER TABLE deliveries ADD COLUMN held_for TEXT;
                ALTER TABLE deliveries ADD COLUMN render_values TEXT;
                ALTER TABLE deliveries ADD COLUMN rendered_version INTEGER;
                CREATE INDEX deliveries_held ON deliveries (held_until) WHERE held_until IS NOT NULL;
                """),
        // A receiver's 429 or 503 with Retry-After pauses its whole webhook until then; a rate
        // limit's bucket is spent by the lease (rate_empty_until: when an emptied one has a token).
        Migration(
            version: 12, name: "webhook-pace",
            sql: """
                ALTER TABLE webhooks ADD COLUMN paused_until BIGINT;
                ALTER TABLE webhooks ADD COLUMN rate_tokens DOUBLE PRECISION;
                ALTER TABLE webhooks ADD COLUMN rate_refilled_at BIGINT;
                ALTER TABLE webhooks ADD COLUMN rate_empty_until BIGINT;
                """),
        // An account's rule for webhooks that stay down: disabled after this many days failing.
        Migration(version: 13, name: "auto-disable", sql: "ALTER TABLE accounts ADD COLUMN auto_disable_days INTEGER NOT NULL DEFAULT 5;"),
        // Bulk replays: a job's filter, its progress and its position in creation order.
        Migration(version: 14, name: "replay-jobs", sql: ReplaySQL.createTable(timestamp: "BIGINT")),
        Migration(version: 15, name: "alerts", sql: AlertSQL.migration(timestamp: "BIGINT")),
        Migration(version: 16, name: "trace-parent", sql: "ALTER TABLE events ADD COLUMN trace_parent TEXT"),
    ]
}
