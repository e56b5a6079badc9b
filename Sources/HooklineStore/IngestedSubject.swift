import HooklineCore

/// The call or lead an event is about, as ingest wrote it: the event's values, where it belongs,
/// and the text stored with a new one (the event stores the same).
struct IngestedSubject {
    var values: JSONObject
    var routing: RoutingContext
    var storedText: String?
    /// The call's or lead's version after the event.
    var version: Int
    /// What an update or an end changed; nil for other events.
    var change: SubjectChange?
    /// After an update or a conversion of a call: everything known of it now, which may release
    /// its held deliveries.
    var callNow: JSONObject? = nil
    /// A beginning's call, when its row is still to be inserted with its event (PostgreSQL: one
    /// statement for both).
    var newCall: NewCall? = nil
    /// An end's call, its row still to be written: with the end's receipt, once the deliveries
    /// are planned, so that the end reported again answers the same.
    var endedCall: EndedCall? = nil
}

/// A call's row as its end leaves it, without the receipt the end is answered with.
struct EndedCall {
    var values: CallValues
    var endedAt: Timestamp
    var version: Int
}

extension CallValues {
    /// The later values as the call's row keeps them: none until something came after the end.
    var laterText: String? { later.isEmpty ? nil : later.jsonText }
}

/// A call's row to insert with its beginning's event, and what the insert decides: whether its
/// caller called before, which only that statement can see without another round trip.
struct NewCall {
    var caller: String?
    var campaignID: String?
    var locationID: String?
    /// The event's values should the caller have called before; nil when the source said
    /// whether the caller is a repeat one, or gave no number (`IngestRules.repeatCallerLookup`).
    var valuesIfCalledBefore: JSONObject?
}

extension IngestedSubject {
    /// An alert writes no call or lead: the webhook it is about is its subject.
    static func alert(_ alert: Alert) -> IngestedSubject {
        IngestedSubject(values: alert.values, routing: RoutingContext(), storedText: nil, version: 0)
    }
}

/// What writing the subject came to: written, or nothing to write (a call's end already reported,
/// an update that changes nothing), with the answer.
enum SubjectWrite {
    case written(IngestedSubject)
    case reportedBefore(IngestReceipt)
    /// A call's end reported again by a source with more: it is an update of the call.
    case becomes(IngestCommand)
}

extension DeliveryJob {
    /// A delivery written at ingest already leased to the ingesting process's worker.
    static func leasedAtIngest(
        deliveryID: String, eventID: String, request: IngestRequest, webhook: Webhook, nextAttemptAt: Timestamp?, values: JSONObject
    ) -> DeliveryJob {
        let delivery = Delivery(
            id: deliveryID, accountID: request.accountID, webhookID: webhook.id, eventID: eventID, eventKind: request.command.kind,
            subjectID: request.command.subjectID, status: .pending, attemptCount: 0, nextAttemptAt: nextAttemptAt, createdAt: request.now,
            updatedAt: request.now, lastResponseStatus: nil, lastError: nil)
        return DeliveryJob(
            delivery: delivery, webhook: webhook, values: values, payload: nil, scheduleAttempts: 0, scheduleStartedAt: request.now, traceParent: request.traceParent)
    }
}
