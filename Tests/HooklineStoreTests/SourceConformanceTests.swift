import HooklineCore
import HooklineStore
import Testing

/// Sources as rows: found by their secret's digest only, per account, with counts that concurrent
/// requests never lose.
@Suite struct SourceConformanceTests {
    typealias F = Fixtures

    @Test(arguments: StoreEngine.allCases)
    func aSourceIsFoundByItsSecretUntilRotatedAndCountsEveryRequest(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let other = try await F.account(store, "Other")
        let source = InboundSource(
            id: Identifier.make("src", at: F.t0), accountID: account.id, name: "Roistat", kind: .roistatCRM, options: ["user": "u", "password": "p"],
            createdAt: F.t0, updatedAt: F.t0)
        try await store.insertSource(source, secretDigest: "d1")
        #expect(try await store.source(secretDigest: "d1") == source)
        #expect(try await store.source(id: source.id, accountID: other.id) == nil)
        #expect(try await store.sources(accountID: account.id) == [source])
        var renamed = source
        renamed.name = "Roistat CRM"
        renamed.options = [:]
        try await store.updateSource(renamed)
        #expect(try await store.source(id: source.id, accountID: account.id)?.name == "Roistat CRM")
        var foreign = renamed
        foreign.accountID = other.id
        await #expect(throws: StoreError.self) { try await store.updateSource(foreign) }
        #expect(try await store.rotateSourceSecret(id: source.id, accountID: account.id, secretDigest: "d2", now: F.t0))
        #expect(try await store.source(secretDigest: "d1") == nil)
        #expect(try await store.source(secretDigest: "d2")?.id == source.id)
        let failures = await F.failures(of: 30) { index in try await store.countSourceRequest(id: source.id, refused: index % 3 == 0) }
        #expect(failures == 0)
        let counted = try #require(try await store.source(id: source.id, accountID: account.id))
        #expect(counted.received == 20 && counted.refused == 10)
        #expect(try await store.deleteSource(id: source.id, accountID: other.id) == false)
        #expect(try await store.deleteSource(id: source.id, accountID: account.id))
        #expect(try await store.source(secretDigest: "d2") == nil)
    }

    @Test(arguments: StoreEngine.allCases)
    func aCallOrLeadKeepsTheSourceThatReportedIt(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        _ = try await F.webhook(store, account: account, triggers: [.callBegin, .callEnd, .leadCreated])
        _ = try await store.ingest(
            IngestRequest(accountID: account.id, command: .beginCall(callID: "c1", values: ["callid": "c1"]), idempotencyKey: nil, routing: RoutingContext(sourceID: "src_1"), now: F.t0))
        _ = try await store.ingest(IngestRequest(accountID: account.id, command: .endCall(callID: "c1", values: ["dialstatus": "ANSWER"]), idempotencyKey: nil, now: F.t0))
        _ = try await store.ingest(
            IngestRequest(accountID: account.id, command: .createLead(leadID: "l1", values: ["lead_id": "l1"]), idempotencyKey: nil, routing: RoutingContext(sourceID: "src_2"), now: F.t0))
        _ = try await F.begin(store, account: account, call: "c2")
        #expect(try await store.call(id: "c1", accountID: account.id)?.routing.sourceID == "src_1")
        #expect(try await store.lead(id: "l1", accountID: account.id)?.routing.sourceID == "src_2")
        #expect(try await store.call(id: "c2", accountID: account.id)?.routing.sourceID == nil)
        // Deliveries as people read them say where their call or lead came from.
        let deliveries = try await store.deliveries(accountID: account.id, filter: DeliveryFilter(), page: PageRequest(limit: 10)).items
        #expect(Set(deliveries.map { "\($0.eventKind.rawValue) \($0.subjectID) \($0.sourceID ?? "-")" }) == ["call.begin c1 src_1", "call.end c1 src_1", "lead.created l1 src_2", "call.begin c2 -"])
        let one = try #require(deliveries.first { $0.subjectID == "l1" })
        #expect(try await store.delivery(id: one.id, accountID: account.id)?.sourceID == "src_2")
        #expect(try await store.replayDelivery(id: one.id, accountID: account.id, now: F.t0)?.sourceID == "src_2")
    }
}
