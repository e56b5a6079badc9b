import HooklineCore

/// A delivery as the log and its own page show it.
struct DeliveryRow {
    let id: String
    let createdAt: String
    let eventKind: String
    let subjectID: String
    let callLink: Bool
    let sourceName: String?
    let webhookID: String
    let webhookName: String
    let status: String
    let attemptCount: Int
    let lastAnswer: String
    /// Only on the delivery's page, while it waits.
    var nextAttemptAt: String?
    /// While held: "rec_audiourl, until 2026-12-03 02:20:00".
    let held: String?
    /// The version of its call or lead it renders.
    let version: Int?

    init(_ delivery: Delivery, names: [String: String], sources: [String: String]) {
        id = delivery.id
        createdAt = Pages.time(delivery.createdAt)
        eventKind = delivery.eventKind.rawValue
        subjectID = delivery.subjectID
        callLink = delivery.eventKind.subject == .call
        sourceName = delivery.sourceID.map { sources[$0] ?? $0 }
        webhookID = delivery.webhookID
        webhookName = names[delivery.webhookID] ?? delivery.webhookID
        status = delivery.status.rawValue
        attemptCount = delivery.attemptCount
        lastAnswer = delivery.lastResponseStatus.map { "HTTP \($0)" } ?? delivery.lastError ?? ""
        held = delivery.heldUntil.map { "waiting for \(delivery.heldFor.joined(separator: ", ")) until \(Pages.time($0))" }
        version = delivery.subjectVersion
    }
}

/// The delivery log: its filters, a page of rows and the link to the next.
struct DeliveriesView {
    let deliveries: [DeliveryRow]
    let filtered: Bool
    let subjectID: String
    let webhookOptions: [WebhookOption]
    let statusOptions: [ValueOption]
    let nextPage: String?
    /// "Replay these", when the filter names deliveries that can be replayed and there are some.
    let replay: ReplayOffer?
}

/// A delivery's page: the delivery and every attempt, newest first.
struct DeliveryView {
    let delivery: DeliveryRow
    let attempts: [AttemptView]
}

/// An attempt as the pages show it: the request as sent and the answer, bodies made readable.
struct AttemptView {
    struct Request {
        let method: String
        let url: String
        let headers: [NameValue]
        let body: String
    }

    struct Answer {
        let status: Int
        let headers: [NameValue]
        let bodyTruncated: Bool
        let body: String
    }

    let number: Int
    let startedAt: String
    let duration: Int
    let error: String?
    let errorKind: String?
    let request: Request
    let status: Int?
    let outcome: String?
    let response: Answer?

    init(_ attempt: Attempt) {
        func contentType(_ headers: [HeaderField]) -> String { headers.first { $0.name.lowercased() == "content-type" }?.value ?? "" }
        number = attempt.number
        startedAt = Pages.time(attempt.startedAt)
        duration = attempt.durationMilliseconds
        error = attempt.errorMessage
        errorKind = attempt.errorKind?.rawValue
        request = Request(
            method: attempt.request.method, url: attempt.request.url, headers: Self.lines(attempt.request.headers),
            body: BodyDisplay.pretty(attempt.request.body, contentType: contentType(attempt.request.headers)))
        status = attempt.response?.status
        outcome = attempt.response.map { _ in attempt.succeeded ? "success" : "failed" }
        response = attempt.response.map { response in
            Answer(
                status: response.status, headers: Self.lines(response.headers), bodyTruncated: response.bodyTruncated,
                body: BodyDisplay.pretty(response.body, contentType: contentType(response.headers)))
        }
    }

    static func lines(_ headers: [HeaderField]) -> [NameValue] {
        headers.map { NameValue(name: $0.name, value: $0.value) }
    }
}

/// A call's page: its timeline, its deliveries and what is known of it.
struct CallView {
    struct Moment {
        var time: String
        let what: String
        let kind: String
        let link: String?
        /// What an update, an end or a conversion changed, each token from what to what.
        let changes: [Change]
        let hasChanges: Bool

        init(time: String = "", what: String, kind: String, link: String?, changes: [Change] = []) {
            self.time = time
            self.what = what
            self.kind = kind
            self.link = link
            self.changes = changes
            self.hasChanges = !changes.isEmpty
        }
    }

    struct Change {
        let field: String
        let from: String
        let to: String
    }

    let id: String
    let timeline: [Moment]
    let deliveries: [DeliveryRow]
    let values: [NameValue]
}
