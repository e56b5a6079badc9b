import HooklineCore
import Testing

@Suite struct UsersTests {
    @Test func aNewUserIsCheckedFieldByField() throws {
        let user = try NewUser(email: "  Ann@Example.COM ", password: "correct horse", role: "admin")
        #expect(user.email == "ann@example.com" && user.role == .admin)
        #expect(throws: FieldError("email", "must be an email address such as name@example.com")) { try NewUser(email: "ann", password: "correct horse", role: "admin") }
        #expect(throws: FieldError("email", "must be an email address such as name@example.com")) { try NewUser(email: "a@b", password: "correct horse", role: "admin") }
        #expect(throws: FieldError("password", "must be 10 to 72 characters long")) { try NewUser(email: "a@b.co", password: "short", role: "admin") }
        #expect(throws: FieldError("password", "must be 10 to 72 characters long")) {
            try NewUser(email: "a@b.co", password: String(repeating: "x", count: 73), role: "admin")
        }
        #expect(throws: FieldError("password", "must be at most 72 bytes in UTF-8; use fewer accented or non-Latin characters", kind: .unusable)) {
            try NewUser(email: "a@b.co", password: String(repeating: "é", count: 40), role: "admin")
        }
        #expect(throws: FieldError("role", "must be one of admin, member")) { try NewUser(email: "a@b.co", password: "correct horse", role: "owner") }
    }

    @Test func attemptsWaitInTurnAfterAFewFailuresAndAreForgottenAfterAQuietWhile() {
        var throttle = SignInThrottle()
        let start = Timestamp(millisecondsSince1970: 1_000_000)
        for _ in 0..<SignInThrottle.freeFailures { #expect(throttle.reserve(now: start) == .checkAt(start)) }
        // Sent at once, each further attempt waits after the one before: 1 s, then 2 more, then 4 more.
        #expect(throttle.reserve(now: start) == .checkAt(start.adding(seconds: 1)))
        #expect(throttle.reserve(now: start) == .checkAt(start.adding(seconds: 3)))
        #expect(throttle.reserve(now: start) == .checkAt(start.adding(seconds: 7)))
        #expect(throttle.reserve(now: start) == .checkAt(start.adding(seconds: 15)))
        // The next would wait 31 s: refused unchecked, and it reserves nothing.
        #expect(throttle.reserve(now: start) == .refused(retryAfter: 15))
        #expect(throttle.failures == 7 && throttle.reservedUntil == start.adding(seconds: 15))
        // One at a time, each waits only its own delay, up to the maximum.
        let afterQueue = start.adding(seconds: 20)
        #expect(throttle.reserve(now: afterQueue) == .checkAt(afterQueue.adding(seconds: 16)))
        let later = afterQueue.adding(seconds: 40)
        #expect(throttle.reserve(now: later) == .checkAt(later.adding(seconds: SignInThrottle.maximumDelay)))
        let quiet = later.adding(seconds: SignInThrottle.forgetAfter)
        #expect(throttle.isSpent(now: quiet))
        #expect(throttle.reserve(now: quiet) == .checkAt(quiet) && throttle.failures == 1)
        #expect(SignInThrottle.key(email: String(repeating: "a", count: 1_000_000)).utf8.count == 64)
    }

    @Test func aFormTokenBelongsToItsSessionAndIsNotItsStoredDigest() {
        let token = SessionToken.generate()
        let form = SessionToken.formToken(for: token)
        #expect(SessionToken.isFormToken(form, of: token))
        #expect(!SessionToken.isFormToken(form, of: SessionToken.generate()))
        #expect(!SessionToken.isFormToken(SessionToken.digest(token), of: token))
        #expect(!SessionToken.isFormToken("", of: token))
    }
}
