import Testing
@testable import HooklineCore

@Suite struct StandardWebhooksTests {
    /// The example from the Standard Webhooks specification.
    @Test func matchesTheSpecificationsExample() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = StandardWebhooks.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func signsWithEverySecretGivenAndVerifiesEach() throws {
        let old = StandardWebhooks.generateSecret()
        let new = StandardWebhooks.generateSecret()
        let keys = try [new, old].map { try #require(StandardWebhooks.SigningKey(secret: $0)) }
        let header = StandardWebhooks.signatureHeader(id: "dlv_1", timestamp: 10, body: [1, 2, 3], keys: keys)
        #expect(header.split(separator: " ").count == 2)
        #expect(StandardWebhooks.verify(id: "dlv_1", timestamp: 10, body: [1, 2, 3], header: header, secret: old))
        #expect(StandardWebhooks.verify(id: "dlv_1", timestamp: 10, body: [1, 2, 3], header: header, secret: new))
        #expect(!StandardWebhooks.verify(id: "dlv_1", timestamp: 10, body: [1, 2, 4], header: header, secret: new))
        #expect(StandardWebhooks.key(of: "not-a-secret") == nil)
        #expect(StandardWebhooks.SigningKey(secret: "whsec_") == nil)
    }

    /// A key is keyed once and signs every message after: each signature must be the one a fresh
    /// key gives, whichever message came before it and however many tasks sign at once.
    @Test func oneKeySignsManyMessagesAsAFreshKeyWould() async throws {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let key = try #require(StandardWebhooks.SigningKey(secret: secret))
        #expect(key.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    (0..<200).count { message in
                        let body = Array("task \(task) message \(message)".utf8)
                        return key.signature(id: "dlv_\(message)", timestamp: Int64(task), body: body)
                            != StandardWebhooks.signature(id: "dlv_\(message)", timestamp: Int64(task), body: body, secret: secret)
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        // Signing the same message again after others gives the first answer: no state carried over.
        #expect(key.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: Array(#"{"test": 2432232314}"#.utf8))
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }
}

@Suite struct EndpointHealthTests {
    let t0 = Timestamp(millisecondsSince1970: 0)

    @Test func failsAfterTheThresholdAndRecoversOnTheFirstSuccess() {
        var health = EndpointHealth.healthy
        for failure in 1...EndpointHealth.failureThreshold {
            let (next, recovered) = health.after(success: false, error: "HTTP 500", now: t0.adding(seconds: Double(failure)), probeInterval: 30)
            #expect(!recovered)
            health = next
        }
        #expect(health.state == .failing)
        #expect(health.failingSince == t0.adding(seconds: 5))
        #expect(health.nextProbeAt == t0.adding(seconds: 35))
        let (afterProbe, _) = health.after(success: false, error: "timeout", now: t0.adding(seconds: 40), probeInterval: 30)
        #expect(afterProbe.failingSince == t0.adding(seconds: 5))
        #expect(afterProbe.lastError == "timeout")
        let (healthy, recovered) = afterProbe.after(success: true, error: nil, now: t0.adding(seconds: 80), probeInterval: 30)
        #expect(recovered)
        #expect(healthy.state == .healthy)
        #expect(healthy.consecutiveFailures == 0)
    }

    @Test func aSuccessResetsTheCount() {
        let (once, _) = EndpointHealth.healthy.after(success: false, error: "x", now: t0, probeInterval: 30)
        let (reset, recovered) = once.after(success: true, error: nil, now: t0, probeInterval: 30)
        #expect(reset.consecutiveFailures == 0)
        #expect(!recovered)
    }
}

@Suite struct VerdictTests {
    let t0 = Timestamp(millisecondsSince1970: 1_000_000)
    let policy = RetryPolicy(schedule: [0, 10, 60], maximumAge: 3600)

    func attempt(status: Int) -> Attempt {
        Attempt(
            number: 1, startedAt: t0, durationMilliseconds: 1, request: RecordedRequest(method: "POST", url: "http://x", headers: [], body: ""),
            response: RecordedResponse(status: status, headers: [], body: "", bodyTruncated: false), errorKind: status < 300 ? nil : .status,
            errorMessage: nil)
    }

    @Test func onlyAFailureDrawsItsJitter() {
        var draws = 0
        func draw() -> Double {
            draws += 1
            return 0.5
        }
        #expect(DeliveryJudge.verdict(for: attempt(status: 200), attemptsSoFar: 0, scheduleStart: t0, policy: policy, now: t0, unit: draw()) == .delivered)
        #expect(draws == 0)
        #expect(DeliveryJudge.verdict(for: attempt(status: 500), attemptsSoFar: 1, scheduleStart: t0, policy: policy, now: t0, unit: draw()) == .retry(at: t0.adding(seconds: 10)))
        #expect(draws == 1)
    }

    @Test func goneDisablesTheWebhook() {
        #expect(DeliveryJudge.verdict(for: attempt(status: 410), attemptsSoFar: 1, scheduleStart: t0, policy: policy, now: t0, unit: 0.5) == .disableWebhook)
    }

    @Test(arguments: [429, 503])
    func retryAfterIsHonouredUpToTheLongestDelay(status: Int) {
        #expect(DeliveryJudge.verdict(for: attempt(status: status), attemptsSoFar: 1, scheduleStart: t0, policy: policy, now: t0, unit: 0.5, retryAfter: 30) == .retry(at: t0.adding(seconds: 30)))
        #expect(DeliveryJudge.verdict(for: attempt(status: status), attemptsSoFar: 1, scheduleStart: t0, policy: policy, now: t0, unit: 0.5, retryAfter: 9999) == .retry(at: t0.adding(seconds: 60)))
    }

    @Test func retryAfterIsIgnoredOnOtherStatuses() {
        #expect(DeliveryJudge.verdict(for: attempt(status: 500), attemptsSoFar: 1, scheduleStart: t0, policy: policy, now: t0, unit: 0.5, retryAfter: 30) == .retry(at: t0.adding(seconds: 10)))
    }

    @Test func readsRetryAfterAsSecondsOrAnHTTPDate() throws {
        let now = try #require(Timestamp(parsing: "1994-11-06T08:49:00Z"))
        #expect(DeliveryJudge.retryAfterSeconds("120", now: now) == 120)
        #expect(DeliveryJudge.retryAfterSeconds("Sun, 06 Nov 1994 08:49:37 GMT", now: now) == 37)
        #expect(DeliveryJudge.retryAfterSeconds("soon", now: now) == nil)
    }
}

@Suite struct DestinationPolicyTests {
    static func v6(_ prefix: [UInt8], last: [UInt8] = []) -> DestinationPolicy.Address {
        .v6(prefix + [UInt8](repeating: 0, count: 16 - prefix.count - last.count) + last)
    }

    static let refused: [(DestinationPolicy.Address, String)] = [
        (.v4(127, 0, 0, 1), "loopback"), (.v4(10, 1, 2, 3), "private"), (.v4(172, 20, 0, 1), "private"),
        (.v4(192, 168, 1, 1), "private"), (.v4(169, 254, 169, 254), "link-local"), (.v4(100, 64, 0, 1), "carrier-grade NAT"),
        (.v4(224, 0, 0, 1), "multicast"), (.v4(0, 0, 0, 0), "unspecified"), (.v4(255, 255, 255, 255), "broadcast"),
        (v6([], last: [1]), "loopback"), (v6([]), "unspecified"), (v6([0xFE, 0x80], last: [1]), "link-local"),
        (v6([0xFD, 0x00]), "unique local"), (v6([0xFF, 0x02], last: [1]), "multicast"),
        (v6([], last: [0xFF, 0xFF, 127, 0, 0, 1]), "loopback"),
        // IPv4 inside IPv6: compatible (::a.b.c.d), NAT64, local-use NAT64, 6to4, Teredo.
        (v6([], last: [127, 0, 0, 1]), "loopback"), (v6([], last: [169, 254, 169, 254]), "link-local"),
        (v6([0x00, 0x64, 0xFF, 0x9B], last: [10, 0, 0, 1]), "private"),
        (v6([0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01], last: [8, 8, 8, 8]), "local-use NAT64"),
        (v6([0x20, 0x02, 10, 0, 0, 1]), "private (10.0.0.0/8), inside 6to4"), (v6([0x20, 0x02, 127, 0, 0, 1], last: [1]), "loopback"),
        (v6([0x20, 0x01, 0x00, 0x00, 8, 8, 8, 8], last: [~127, ~0, ~0, ~1]), "loopback (127.0.0.0/8), inside Teredo"),
        (v6([0x20, 0x01, 0x00, 0x00, 192, 168, 0, 1], last: [~8, ~8, ~8, ~8]), "private (192.168.0.0/16), inside Teredo"),
    ]

    @Test(arguments: refused)
    func refusesNonPublicAddresses(address: DestinationPolicy.Address, reason: String) {
        #expect(DestinationPolicy.refusal(for: address)?.contains(reason) == true, "\(address)")
    }

    static let allowed: [DestinationPolicy.Address] = [
        .v4(8, 8, 8, 8), .v4(172, 32, 0, 1), .v4(100, 128, 0, 1), v6([0x26, 0x06, 0x47, 0x00], last: [1]),
        v6([], last: [0xFF, 0xFF, 8, 8, 8, 8]), v6([0x20, 0x02, 8, 8, 8, 8], last: [1]), v6([0x00, 0x64, 0xFF, 0x9B], last: [8, 8, 4, 4]),
    ]

    @Test(arguments: allowed)
    func allowsPublicAddresses(address: DestinationPolicy.Address) {
        #expect(DestinationPolicy.refusal(for: address) == nil)
    }
}
