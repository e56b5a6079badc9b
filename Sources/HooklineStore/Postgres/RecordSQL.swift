import NIOCore
import PostgresNIO

/// The statements every attempt record and lease runs, prepared once per connection as the
/// ingest's are (`HotSQL`): at a low rate each record is a transaction of its own, and a statement
/// sent as text is parsed, analysed and planned every time.
enum RecordSQL {
    /// The deliveries' states, read after their subjects and webhooks are locked (and before, when
    /// the caller did not say which those are, `DeliveryKeys`).
    enum DeliveryStates: PreparedSQL {
        static let sql = "SELECT id, status, lease_owner, webhook_id, subject_kind, subject_id, account_id FROM deliveries WHERE id = ANY($1)"
    }

    /// The webhooks due by `$1`, earliest first, that no other transaction holds (`$2` at most):
    /// a worker's lease takes what they have due.
    enum DueWebhooks: PreparedSQL {
        static let sql = """
            SELECT * FROM webhooks WHERE enabled AND next_due_at IS NOT NULL AND next_due_at <= $1
            ORDER BY next_due_at LIMIT $2 FOR NO KEY UPDATE SKIP LOCKED
            """
    }

    /// When a webhook is next due: a worker asks before every lease, several times a second.
    enum NextDueTime: PreparedSQL {
        static let sql = "SELECT MIN(next_due_at) AS due FROM webhooks WHERE enabled AND next_due_at IS NOT NULL"
    }

    enum LockWebhooks: PreparedSQL {
        static let sql = "SELECT * FROM webhooks WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE"
    }

    /// A round of attempts in one statement, each column bound as an array: `$1`–`$8` the
    /// attempts, `$1`, `$2` and `$9`–`$18` what each does to its delivery, `$19`–`$23` the (webhook,
    /// call or lead) whose next waiting delivery each makes due. An attempt already recorded under
    /// its number (a commit whose answer was lost, recorded again) is not, and changes nothing;
    /// answers the deliveries whose attempts were. Only a change whose `changes` is true changes
    /// state: a late duplicate never undoes a delivery. The two updates touch different rows (a
    /// recorded delivery is leased, so its next attempt is set; a waiting one's is not), as one
    /// statement's updates must.
    enum WriteAttempts: PreparedSQL {
        static let sql = """
            WITH inserted AS (
                INSERT INTO attempts (delivery_id, number, started_at, duration_ms, request, response, error_kind, error_message)
                SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[], $7::text[], $8::text[])
                ON CONFLICT (delivery_id, number) DO NOTHING
                RETURNING delivery_id),
            changed AS (
                UPDATE deliveries d SET
                    attempt_count = GREATEST(d.attempt_count, r.number),
                    schedule_attempts = d.schedule_attempts + r.schedules,
                    status = CASE WHEN r.changes THEN r.status ELSE d.status END,
                    next_attempt_at = CASE WHEN r.changes THEN r.next_attempt_at ELSE d.next_attempt_at END,
                    lease_owner = CASE WHEN r.changes THEN NULL ELSE d.lease_owner END,
                    content_type = CASE WHEN d.payload IS NULL THEN r.content_type ELSE d.content_type END,
                    payload_query = CASE WHEN d.payload IS NULL THEN r.payload_query ELSE d.payload_query END,
                    payload_headers = CASE WHEN d.payload IS NULL THEN r.payload_headers ELSE d.payload_headers END,
                    payload = COALESCE(d.payload, r.payload),
                    last_response_status = r.last_response_status,
                    last_error = r.last_error,
                    updated_at = r.now
                FROM unnest($1::text[], $2::int8[], $9::bool[], $10::int8[], $11::text[], $12::int8[], $13::text[], $14::text[], $15::text[],
                    $16::bytea[], $17::int8[], $8::text[], $18::int8[])
                    AS r(id, number, changes, schedules, status, next_attempt_at, content_type, payload_query, payload_headers, payload,
                        last_response_status, last_error, now)
                WHERE d.id = r.id AND r.id IN (SELECT delivery_id FROM inserted)),
            released AS (
                UPDATE deliveries SET next_attempt_at = next.now FROM (
                    SELECT DISTINCT ON (d.webhook_id, d.subject_kind, d.subject_id) d.id, r.now
                    FROM unnest($19::text[], $20::text[], $21::text[], $22::text[], $23::int8[]) AS r(delivery_id, webhook_id, subject_kind, subject_id, now)
                    JOIN deliveries d ON d.webhook_id = r.webhook_id AND d.subject_kind = r.subject_kind AND d.subject_id = r.subject_id
                    WHERE r.delivery_id IN (SELECT delivery_id FROM inserted) AND d.status = 'pending' AND d.next_attempt_at IS NULL
                    ORDER BY d.webhook_id, d.subject_kind, d.subject_id, d.seq) AS next
                WHERE deliveries.id = next.id AND deliveries.held_until IS NULL)
            SELECT delivery_id FROM inserted
            """

        /// The statement's arrays in the order its text numbers them: one element per attempt,
        /// and one per call (or lead) whose next delivery an attempt releases.
        struct Columns: PostgresBindable {
            // $1–$8: the attempts.
            var deliveryIDs: [String]
            var numbers: [Int64]
            var startedAt: [Int64]
            var durationMilliseconds: [Int64]
            var requests: [String]
            var responses: [String?]
            var errorKinds: [String?]
            var errorMessages: [String?]
            // $9–$18: what each does to its delivery.
            var changesDelivery: [Bool]
            var schedulesAttempt: [Int64]
            var statuses: [String]
            var nextAttemptAt: [Int64?]
            var contentTypes: [String?]
            var payloadQueries: [String?]
            var payloadHeaders: [String?]
            var payloads: [ByteBuffer?]
            var responseStatuses: [Int64?]
            var now: [Int64]
            // $19–$23: the releases.
            var releasingDeliveryIDs: [String]
            var releasedWebhookIDs: [String]
            var releasedSubjectKinds: [String]
            var releasedSubjectIDs: [String]
            var releasedAt: [Int64]

            func bind(into bindings: inout PostgresBindings) {
                bindings.bind(
                    deliveryIDs, numbers, startedAt, durationMilliseconds, requests, responses, errorKinds, errorMessages, changesDelivery,
                    schedulesAttempt, statuses, nextAttemptAt, contentTypes, payloadQueries, payloadHeaders, payloads, responseStatuses, now,
                    releasingDeliveryIDs, releasedWebhookIDs, releasedSubjectKinds, releasedSubjectIDs, releasedAt)
            }
        }
    }

    /// A webhook's pending deliveries due by `$2`, oldest first, at most `$3`, with their events'
    /// values and their subjects' captures.
    enum DueDeliveries: PreparedSQL {
        static let sql = pendingDeliveries + " AND d.next_attempt_at <= $2 ORDER BY d.next_attempt_at, d.seq LIMIT $3"
    }

    /// The one delivery a probe sends: the first scheduled, leased or not, whose lease ran out by `$2`.
    enum ProbeDelivery: PreparedSQL {
        static let sql = pendingDeliveries + " AND d.next_attempt_at IS NOT NULL AND (d.lease_owner IS NULL OR d.next_attempt_at <= $2) ORDER BY d.next_attempt_at, d.seq LIMIT 1"
    }

    private static let pendingDeliveries = """
        SELECT d.*, COALESCE(d.render_values, e.token_values) AS token_values, e.trace_parent, c.token_values AS captured
        FROM deliveries d JOIN events e ON e.id = d.event_id
        LEFT JOIN captures c ON c.account_id = d.account_id AND c.subject_kind = d.subject_kind AND c.subject_id = d.subject_id
        WHERE d.webhook_id = $1 AND d.status = 'pending'
        """

    /// Leases deliveries `$3` of webhook `$4` to `$1` until `$2`, and answers what its queue's
    /// state then needs from the table: the first delivery waiting at `$5` besides them. The
    /// statement's snapshot precedes its update, so they are left out by id.
    enum LeaseDeliveries: PreparedSQL {
        static let sql = """
            WITH leased AS (UPDATE deliveries SET lease_owner = $1, next_attempt_at = $2 WHERE id = ANY($3))
            SELECT (\(firstWaiting(webhook: "$4", at: "$5", besides: "$3"))) AS first_waiting
            """
    }

    /// What `LeasePolicy` needs of a webhook at `$2` (`WebhookQueueState`).
    enum DueTimeInputs: PreparedSQL {
        static let sql = """
            SELECT w.health_state, w.next_probe_at, w.paused_until, w.rate_empty_until, w.max_in_flight, leased.count, leased.first_expiry,
                (\(firstWaiting(webhook: "w.id", at: "$2"))) AS first_waiting
            FROM webhooks w, LATERAL (
                SELECT COUNT(*) AS count, MIN(next_attempt_at) AS first_expiry FROM deliveries
                WHERE webhook_id = w.id AND \(DeliveryPredicates.leased(at: "$2"))) AS leased
            WHERE w.id = $1
            """
    }

    /// The first delivery of `webhook` waiting at `now`: pending with a time, and not leased then.
    /// `LeasePolicy` reads it the same way whether a lease answers it or the whole state is read.
    private static func firstWaiting(webhook: String, at now: String, besides leased: String? = nil) -> String {
        """
        SELECT next_attempt_at FROM deliveries
        WHERE webhook_id = \(webhook) AND status = 'pending' AND next_attempt_at IS NOT NULL AND (lease_owner IS NULL OR next_attempt_at <= \(now))\
        \(leased.map { " AND id <> ALL(\($0))" } ?? "")
        ORDER BY next_attempt_at LIMIT 1
        """
    }

    /// Sets a webhook's due time, later as well as earlier (`HotSQL.AdvanceDueTime` only moves it earlier).
    enum SetDueTime: PreparedSQL {
        static let sql = "UPDATE webhooks SET next_due_at = $1::BIGINT WHERE id = $2"
    }
}
