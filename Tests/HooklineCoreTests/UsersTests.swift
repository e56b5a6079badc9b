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

    @Test func wrongPasswordsAreSlowedDownAfterAFewAndForgottenAfterAQuietWhile() {
        var throttle = SignInThrottle()
        let start = Timestamp(millisecondsSince1970: 1_000_000)
        for _ in 0..<SignInThrottle.freeFailures {
            #expect(throttle.delay(now: start) == 0)
            throttle.failed(now: start)
        }
        #expect(throttle.delay(now: start) == 1)
        throttle.failed(now: start)
        #expect(throttle.delay(now: start) == 2)
        for _ in 0..<20 { throttle.failed(now: start) }
        #expect(throttle.delay(now: start) == SignInThrottle.maximumDelay)
        let later = start.adding(seconds: SignInThrottle.forgetAfter)
        #expect(throttle.delay(now: later) == 0 && throttle.isSpent(now: later))
        throttle.failed(now: later)
        #expect(throttle.failures == 1 && throttle.delay(now: later) == 0)
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
