import PostgresNIO

/// The statements every ingest runs, prepared once per connection (`PreparedSQL`). A parameter
/// that may be NULL where its column is not BIGINT or TEXT says its type: PostgreSQL infers a
/// parameter's type when it is first prepared, and a NULL then would fix the wrong one.
enum HotSQL {
    /// Inserts an event and answers its account's enabled webhooks, which its deliveries go to,
    /// each with whether its subject (`$10` its kind, `$4` its id) has a delivery there still
    /// pending (a new one waits behind it), and the subject's captured values. The caller holds
    /// the subject's row, which every writer of its deliveries' states and of its captures takes
    /// first, and wrote the batch's deliveries before: this statement's snapshot has them all.
    enum InsertEventReadingWebhooks: PreparedSQL {
        static let sql = """
            WITH event AS (
                INSERT INTO events (id, account_id, kind, subject_id, token_values, created_at, subject_version, source_id, trace_parent)
                VALUES ($1, $2, $3, $4, $5, $6, $7::BIGINT, $8, $9))
            SELECT w.*, EXISTS (
                    SELECT 1 FROM deliveries d WHERE d.webhook_id = w.id AND d.subject_kind = $10 AND d.subject_id = $4 AND d.status = 'pending'
                ) AS subject_pending,
                (SELECT token_values FROM captures c WHERE c.account_id = $2 AND c.subject_kind = $10 AND c.subject_id = $4) AS subject_captured
            FROM webhooks w WHERE w.account_id = $2 AND w.enabled ORDER BY w.id
            """
    }

    /// Calls begun, one or a run of them (`PostgresStore.insert(_:connection:logger:)`): `$1`–`$13`
    /// the columns of beginnings of distinct calls, each inserting its call (unless it exists) and
    /// its event, in the arrays' order. A beginning given `if_called_before` (its values should
    /// its caller have called before) takes them when the caller did: the statement's snapshot
    /// precedes its inserts, so that is when an earlier call or an earlier beginning of the array
    /// has the caller. Answers, by position (`ord`, from 1), whether the call was inserted and
    /// whether its caller called before, beside the account's enabled webhooks at the account's
    /// first beginning (one row of NULLs at the others, and where an account has none).
    enum InsertCallsAndEventsReadingWebhooks: PreparedSQL {
        static let sql = """
            WITH given AS (
                SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[], $8::text[], $9::text[],
                    $10::text[], $11::text[], $12::text[], $13::text[])
                    WITH ORDINALITY AS g(event_id, account_id, kind, subject_id, token_values, created_at, version, source_id, trace_parent,
                        caller, campaign_id, location_id, if_called_before, ord)),
            chosen AS (
                SELECT g.*, g.if_called_before IS NOT NULL AND (
                        EXISTS (SELECT 1 FROM calls WHERE calls.account_id = g.account_id AND calls.caller = g.caller)
                        OR EXISTS (SELECT 1 FROM given earlier WHERE earlier.ord < g.ord AND earlier.account_id = g.account_id AND earlier.caller = g.caller))
                    AS called_before
                FROM given g),
            new_calls AS (
                INSERT INTO calls (account_id, id, begin_values, started_at, caller, campaign_id, location_id, source_id)
                SELECT account_id, subject_id, CASE WHEN called_before THEN if_called_before ELSE token_values END, created_at, caller, campaign_id,
                    location_id, source_id
                FROM chosen ORDER BY ord
                ON CONFLICT (account_id, id) DO NOTHING RETURNING account_id, id),
            events AS (
                INSERT INTO events (id, account_id, kind, subject_id, token_values, created_at, subject_version, source_id, trace_parent)
                SELECT event_id, account_id, kind, subject_id, CASE WHEN called_before THEN if_called_before ELSE token_values END, created_at, version,
                    source_id, trace_parent
                FROM chosen ORDER BY ord)
            SELECT c.ord, EXISTS (SELECT 1 FROM new_calls n WHERE n.account_id = c.account_id AND n.id = c.subject_id) AS call_inserted,
                c.called_before, webhooks.*
            FROM chosen c LEFT JOIN webhooks ON webhooks.account_id = c.account_id AND webhooks.enabled
                AND c.ord = (SELECT MIN(f.ord) FROM chosen f WHERE f.account_id = c.account_id)
            ORDER BY c.ord, webhooks.id
            """

        /// The statement's arrays in the order its text numbers them, one element per beginning.
        struct Columns: PostgresBindable {
            var eventIDs: [String]
            var accountIDs: [String]
            var kinds: [String]
            var subjectIDs: [String]
            var tokenValues: [String]
            var createdAt: [Int64]
            var versions: [Int64]
            var sourceIDs: [String?]
            var traceParents: [String?]
            var callers: [String?]
            var campaignIDs: [String?]
            var locationIDs: [String?]
            var valuesIfCalledBefore: [String?]

            func bind(into bindings: inout PostgresBindings) {
                bindings.bind(
                    eventIDs, accountIDs, kinds, subjectIDs, tokenValues, createdAt, versions, sourceIDs, traceParents, callers, campaignIDs,
                    locationIDs, valuesIfCalledBefore)
            }
        }
    }

    /// The rows of webhooks `$1`, in id order, each locked unless another transaction holds it
    /// (then it is not among them).
    enum LockWebhooksIfFree: PreparedSQL {
        static let sql = "SELECT * FROM webhooks WHERE id = ANY($1) AND enabled ORDER BY id FOR NO KEY UPDATE SKIP LOCKED"
    }

    /// Of webhooks `$1`, the deliveries leased and not run out at `$2`, counted by webhook; one
    /// with none has no row. Read after their rows are locked, by a statement of its own: its
    /// snapshot then shows the leases of a transaction that held a row until just before.
    enum LeasedRows: PreparedSQL {
        static let sql = """
            SELECT webhook_id, COUNT(*) AS count FROM deliveries
            WHERE webhook_id = ANY($1) AND \(DeliveryPredicates.leased(at: "$2"))
            GROUP BY webhook_id
            """
    }

    /// Deliveries of one or more ingests, `$1`–`$12` their columns, inserted in their order (their
    /// `seq`, each call's order, follows it), and the due times `$14` of webhooks `$13` whose rows
    /// their transaction holds, each moved if that is earlier.
    enum InsertDeliveries: PreparedSQL {
        static let sql = """
            WITH delivery AS (
                INSERT INTO deliveries (id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, status,
                    schedule_started_at, next_attempt_at, lease_owner, created_at, updated_at, held_until, held_for)
                SELECT id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, 'pending',
                    created_at, next_attempt_at, lease_owner, created_at, created_at, held_until, held_for
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[], $10::text[],
                    $11::int8[], $12::text[])
                    WITH ORDINALITY AS d(id, account_id, webhook_id, event_id, event_kind, subject_kind, subject_id, created_at, next_attempt_at,
                        lease_owner, held_until, held_for, ord)
                ORDER BY ord)
            UPDATE webhooks w SET next_due_at = t.due FROM unnest($13::text[], $14::int8[]) AS t(id, due)
            WHERE w.id = t.id AND (w.next_due_at IS NULL OR w.next_due_at > t.due)
            """

        /// The statement's arrays in the order its text numbers them: one element per delivery,
        /// then one per webhook whose due time may move.
        struct Columns: PostgresBindable {
            var ids: [String]
            var accountIDs: [String]
            var webhookIDs: [String]
            var eventIDs: [String]
            var eventKinds: [String]
            var subjectKinds: [String]
            var subjectIDs: [String]
            var createdAt: [Int64]
            var nextAttemptAt: [Int64?]
            var leaseOwners: [String?]
            var heldUntil: [Int64?]
            var heldFor: [String?]
            var dueWebhookIDs: [String]
            var dueTimes: [Int64]

            func bind(into bindings: inout PostgresBindings) {
                bindings.bind(
                    ids, accountIDs, webhookIDs, eventIDs, eventKinds, subjectKinds, subjectIDs, createdAt, nextAttemptAt, leaseOwners, heldUntil,
                    heldFor, dueWebhookIDs, dueTimes)
            }
        }
    }

    /// Moves a webhook's due time earlier, never later.
    enum AdvanceDueTime: PreparedSQL {
        static let sql = "UPDATE webhooks SET next_due_at = $1 WHERE id = $2 AND (next_due_at IS NULL OR next_due_at > $1)"
    }

    /// The advisory locks of idempotency keys `$1` (account and key), in their hash's order: a
    /// second process with the same key waits here, then finds the first one's receipt.
    enum LockIdempotencyKeys: PreparedSQL {
        static let sql = "SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS sorted"
    }

    /// The stored receipts of keys, `$1` their accounts and `$2` the keys, pair by pair.
    enum IdempotencyKeys: PreparedSQL {
        static let sql = """
            SELECT k.account_id, k.key, k.fingerprint, k.receipt FROM unnest($1::text[], $2::text[]) AS given(account_id, key)
            JOIN idempotency_keys k ON k.account_id = given.account_id AND k.key = given.key
            """
    }

    /// Keys' receipts, as `PostgresStore.IdempotencyReceipts` answered them: `$1` their accounts,
    /// `$2` the keys, `$3` the requests' fingerprints, `$4` the receipts and `$5` when.
    enum RememberIdempotencyKeys: PreparedSQL {
        static let sql = """
            INSERT INTO idempotency_keys (account_id, key, fingerprint, receipt, created_at)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int8[])
            """
    }
}
