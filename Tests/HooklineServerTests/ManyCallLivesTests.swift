import Foundation
import HooklineCore
import HooklineStore
import HooklineTestSupport
import Testing

/// Many calls live their whole lives at once, as a busy hour's clients send them on connections
/// of their own: begun, ended, their recordings added later, their ends replayed. Their ingests share transactions (SQLite's group
/// commit, PostgreSQL's ingest lanes), and still each call's receiver sees its own in order.
@Suite struct ManyCallLivesTests {
    enum Engine: CaseIterable, Sendable {
        case sqlite, postgres

        /// A fresh store, or nil for the test's default SQLite file.
        func store() async throws -> (any Store)? {
            switch self {
            case .sqlite: return nil
            case .postgres:
                return try PostgresStore(location: try await TestScratch.postgresLocation())
            }
        }
    }

    static let body = #"{"id": "%callid%", "status": "%dialstatus%", "changed": "%changed_fields%", "link": "%rec_audiourl%"}"#
    static let calls = 30

    @Test(arguments: Engine.allCases)
    func eachCallsBeginEndRecordingAndReplayArriveInItsOrder(engine: Engine) async throws {
        try await Receiver.run { receiver in
            try await Hookline.run(store: try await engine.store()) { hookline in
                let key = try await hookline.account()
                _ = try await hookline.webhook(key: key, url: receiver.url("/failcall/1/crm"), triggers: [.callBegin, .callEnd, .callUpdated], body: Self.body)
                let ends = try await withThrowingTaskGroup(of: (String, String).self) { group in
                    for index in 0..<Self.calls {
                        group.addTask { ("c\(index)", try await Self.live("c\(index)", hookline: hookline, key: key)) }
                    }
                    return try await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
                }
                // Each call's first request is answered 500 and sent again: its later ones wait.
                try await eventually("every call's three deliveries and its beginning's second try") { await receiver.recorder.requests(to: "/failcall/1/crm").count >= Self.calls * 4 }

                // Every end replayed at once: each arrives after its call's recording, as the end was.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for delivery in ends.values {
                        group.addTask {
                            let replay = try await hookline.send(.post, "/v1/deliveries/\(delivery)/replay", key: key, json: [:])
                            #expect(replay.status == .accepted, "\(replay.text)")
                        }
                    }
                    try await group.waitForAll()
                }
                try await eventually("every replay") { await receiver.recorder.requests(to: "/failcall/1/crm").count >= Self.calls * 5 }
                try await Task.sleep(for: .milliseconds(300))
                let received = await receiver.recorder.requests(to: "/failcall/1/crm").compactMap(\.json)
                #expect(received.count == Self.calls * 5)
                for index in 0..<Self.calls {
                    let call = "c\(index)"
                    let sent = received.filter { $0["id"]?.stringValue == call }
                    let end: JSONValue = ["id": .string(call), "status": "ANSWER", "changed": [], "link": nil]
                    let recording: JSONValue = ["id": .string(call), "status": "ANSWER", "changed": ["rec_audiourl"], "link": .string("https://rec.example/\(call).mp3")]
                    let begin: JSONValue = ["id": .string(call), "status": nil, "changed": nil, "link": nil]
                    #expect(sent == [begin, begin, end, recording, end], "\(call): \(sent.map(\.jsonText))")
                }
            }
        }
    }

    /// One call's beginning, end and recording, each as its provider sends it once the last was
    /// answered; the end's delivery.
    static func live(_ call: String, hookline: Hookline, key: String) async throws -> String {
        let begin = try await hookline.send(.post, "/v1/calls", key: key, json: ["callid": .string(call)])
        #expect(begin.status == .created || begin.status == .accepted, "\(begin.text)")
        let end = try await hookline.send(.post, "/v1/calls/\(call)/end", key: key, json: ["dialstatus": "ANSWER"])
        #expect(end.status == .created || end.status == .accepted || end.status == .ok, "\(end.text)")
        let recording = try await hookline.send(.patch, "/v1/calls/\(call)", key: key, json: ["rec_audiourl": .string("https://rec.example/\(call).mp3")])
        #expect(recording.status == .ok && recording["changed_fields"] == ["rec_audiourl"], "\(recording.text)")
        return try #require(end["deliveries"]?.arrayValue?.first?.stringValue)
    }
}
