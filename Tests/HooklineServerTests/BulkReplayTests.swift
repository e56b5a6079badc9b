import HooklineCore
import Testing

/// A receiver was down long enough for its deliveries to die; once it is back, one request
/// previews and replays them all, and they arrive once each, each call's begin before its end.
@Suite struct BulkReplayTests {
    @Test func deadDeliveriesArePreviewedThenReplayedOnceInPerCallOrder() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let key = try await hookline.account()
                await receiver.recorder.setDown(true)
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/switch/crm"), triggers: [.callBegin, .callEnd], body: #"{"id": "%callid%", "status": "%dialstatus%"}"#,
                    retry: ["schedule": [0, 0.1], "max_age": 0.5], extra: ["probe_interval": 0.1])
                for call in ["c1", "c2"] {
                    try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string(call)])
                    try await hookline.call(.post, "/v1/calls/\(call)/end", key: key, json: ["dialstatus": "ANSWER"])
                }
                try await eventually(timeout: .seconds(120), "every delivery dead") {
                    try await hookline.deliveries(key: key, query: "?status=dead").count == 4
                }

                for (body, status, field) in [
                    (["status": ["gone"]] as JSONValue, 400, "status[0]"), (["status": []], 400, "status"), (["webhook_id": "wh_nope"], 422, "webhook_id"),
                    (["from": "yesterday"], 400, "from"), (["from": "2026-12-02T00:00:00Z", "to": "2026-12-01T00:00:00Z"], 422, "to"),
                    (["subject_ids": ["a/b"]], 400, "subject_ids[0]"), (["kinds": ["call.ended"]], 400, "kinds[0]"), (["dry_run": "yes"], 400, "dry_run"),
                    (["bogus": 1], 400, "bogus"),
                ] {
                    let answer = try await hookline.call(.post, "/v1/replays", key: key, json: body)
                    #expect(answer.status.code == status && answer.errorField == field, "\(body): \(answer.text)")
                }
                let preview = try await hookline.call(.post, "/v1/replays", key: key, json: ["webhook_id": .string(webhook), "dry_run": true])
                #expect(preview.status == .ok && preview["total"] == 4, "\(preview.text)")
                #expect(preview["webhooks"] == [["webhook_id": .string(webhook), "name": "test", "count": 4]])
                #expect(try await hookline.call(.post, "/v1/replays", key: key, json: ["kinds": ["call.end"], "subject_ids": ["c1"], "dry_run": true])["total"] == 1)
                #expect(try await hookline.call(.get, "/v1/replays", key: key)["data"] == [], "a preview starts nothing")

                let sentBefore = await receiver.recorder.requests.count
                await receiver.recorder.setDown(false)
                let started = try await hookline.call(.post, "/v1/replays", key: key, json: ["webhook_id": .string(webhook), "status": ["dead"]])
                #expect(started.status == .created && started["status"] == "running" && started["total"] == 4, "\(started.text)")
                let job = try #require(started["id"]?.stringValue)
                try await eventually(timeout: .seconds(120), "the job done and every delivery delivered") {
                    let progress = try await hookline.call(.get, "/v1/replays/\(job)", key: key)
                    let delivered = try await hookline.deliveries(key: key, query: "?status=delivered").count
                    return progress["status"] == "done" && progress["replayed"] == 4 && delivered == 4
                }
                let accepted = await receiver.recorder.requests.dropFirst(sentBefore).compactMap(\.json)
                #expect(accepted.count == 4, "each once: \(accepted)")
                for call in ["c1", "c2"] {
                    #expect(accepted.filter { $0["id"] == .string(call) }.map { $0["status"] ?? .null } == [.null, "ANSWER"], "\(call)'s begin before its end")
                }

                #expect(try await hookline.call(.delete, "/v1/replays/\(job)", key: key)["status"] == "done", "a finished job stays as it ended")
                #expect(try await hookline.call(.get, "/v1/replays", key: key)["data"]?.arrayValue?.count == 1)
                #expect(try await hookline.call(.delete, "/v1/replays/rpl_nope", key: key).status == .notFound)
                let other = try await hookline.account("Other")
                #expect(try await hookline.call(.get, "/v1/replays/\(job)", key: other).status == .notFound, "another account's job")
            }
        }
    }

    /// The log filtered to a webhook's dead deliveries offers "Replay these" with their count; the
    /// replay's page shows its progress to the end.
    @Test func theLogReplaysWhatItShowsAndThePageFollowsTheJob() async throws {
        try await Receiver.run { receiver in
            try await Hookline.run { hookline in
                let (key, browser) = try await WizardTests.signedIn(hookline)
                await receiver.recorder.setDown(true)
                let webhook = try await hookline.webhook(
                    key: key, url: receiver.url("/switch/page"), triggers: [.callBegin], retry: ["schedule": [0], "max_age": 0.1], extra: ["probe_interval": 0.1])
                for call in ["c1", "c2", "c3"] { try await hookline.call(.post, "/v1/calls", key: key, json: ["callid": .string(call)]) }
                try await eventually(timeout: .seconds(120), "every delivery dead") { try await hookline.deliveries(key: key, query: "?status=dead").count == 3 }
                #expect(!(try await browser.request(.get, "/deliveries?status=held").text.contains("Replay these")), "nothing held to replay")
                let log = try await browser.request(.get, "/deliveries?webhook_id=\(webhook)&status=dead")
                #expect(log.text.contains("Replay these") && log.text.contains("<strong id=\"replay-count\">3</strong> dead deliveries"), "\(log.text)")

                await receiver.recorder.setDown(false)
                let started = try await browser.submit(log.text, to: "/replays", [("webhook_id", webhook), ("status", "dead"), ("subject_id", "")])
                #expect(started.status == .seeOther)
                let location = try #require(started.headers[.location])
                #expect(location.hasPrefix("/replays/rpl_"))
                try await eventually(timeout: .seconds(120), "the replay done") {
                    let page = try await browser.request(.get, location)
                    return page.text.contains("3 of 3 replayed (100%)") && page.text.contains("badge done")
                }
                let page = try await browser.request(.get, location)
                #expect(page.text.contains("<progress id=\"replay-progress\" max=\"3\" value=\"3\">") && !page.text.contains("data-refresh"))
                #expect(page.text.contains("dead deliveries of test"))
                try await eventually("all delivered") { try await hookline.deliveries(key: key, query: "?status=delivered").count == 3 }
                #expect(try await browser.request(.get, "/replays/rpl_nope").status == .notFound)
            }
        }
    }
}
