import HooklineCore
import HooklineStore
import Testing

/// Users of an account and their sign-in sessions, on every engine.
@Suite struct UserConformanceTests {
    typealias F = Fixtures

    static func user(_ account: Account, _ email: String, role: User.Role = .member) -> User {
        User(id: Identifier.make("usr", at: .now), accountID: account.id, email: email, role: role, createdAt: Timestamp(millisecondsSince1970: 1_000))
    }

    @Test(arguments: StoreEngine.allCases)
    func usersAreFoundByEmailAndListedPerAccount(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let a = try await F.account(store, "A")
        let b = try await F.account(store, "B")
        let ann = Self.user(a, "ann@example.com", role: .admin)
        let bob = Self.user(b, "bob@example.com")
        try await store.createUser(ann, passwordHash: "hash-ann")
        try await store.createUser(bob, passwordHash: "hash-bob")
        let found = try #require(try await store.credentials(email: "ann@example.com"))
        #expect(found.user == ann && found.passwordHash == "hash-ann")
        #expect(try await store.credentials(email: "nobody@example.com") == nil)
        #expect(try await store.users(accountID: a.id) == [ann])
        #expect(try await store.deleteUser(id: ann.id, accountID: b.id) == false)
        #expect(try await store.deleteUser(id: ann.id, accountID: a.id))
        #expect(try await store.users(accountID: a.id).isEmpty)
    }

    @Test(arguments: StoreEngine.allCases)
    func anEmailBelongsToOneUserEvenWhenCreatedAtOnce(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let a = try await F.account(store, "A")
        let b = try await F.account(store, "B")
        let failures = await F.failures(of: 8) { index in
            try await store.createUser(Self.user(index.isMultiple(of: 2) ? a : b, "same@example.com"), passwordHash: "h\(index)")
        }
        #expect(failures == 7)
        do {
            try await store.createUser(Self.user(a, "same@example.com"), passwordHash: "again")
            Issue.record("a second user with one email was created")
        } catch let error as StoreError {
            guard case .conflict = error else { throw error }
        }
    }

    @Test(arguments: StoreEngine.allCases)
    func aSessionFindsItsUserUntilItRunsOutIsDeletedOrItsUserIs(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let account = try await F.account(store)
        let ann = Self.user(account, "ann@example.com")
        try await store.createUser(ann, passwordHash: "h")
        let now = Timestamp(millisecondsSince1970: 10_000)
        try await store.createSession(digest: "s1", userID: ann.id, expiresAt: now.adding(seconds: 60), now: now)
        try await store.createSession(digest: "s2", userID: ann.id, expiresAt: now.adding(seconds: 60), now: now)
        #expect(try await store.sessionUser(digest: "s1", now: now) == ann)
        #expect(try await store.sessionUser(digest: "s1", now: now.adding(seconds: 60)) == nil, "a session that ran out signs nobody in")
        #expect(try await store.sessionUser(digest: "other", now: now) == nil)
        try await store.deleteSession(digest: "s1")
        #expect(try await store.sessionUser(digest: "s1", now: now) == nil)
        #expect(try await store.sessionUser(digest: "s2", now: now) == ann)
        #expect(try await store.deleteUser(id: ann.id, accountID: account.id))
        #expect(try await store.sessionUser(digest: "s2", now: now) == nil, "a deleted user's sessions end with them")
    }

    @Test(arguments: StoreEngine.allCases)
    func concurrentSignInsForOneEmailReserveMomentsInTurn(engine: StoreEngine) async throws {
        let store = try await engine.makeStore()
        let now = Timestamp(millisecondsSince1970: 50_000_000)
        let key = SignInThrottle.key(email: "ann@example.com")
        for _ in 0..<SignInThrottle.freeFailures { #expect(try await store.reserveSignIn(key: key, now: now) == .checkAt(now)) }
        // Twelve at once: each sees every reservation before it, so the moments are 1, 3, 7, 15 s
        // away and the rest are refused; no two share a moment.
        let reservations = try await withThrowingTaskGroup(of: SignInThrottle.Reservation.self) { group in
            for _ in 0..<12 { group.addTask { try await store.reserveSignIn(key: key, now: now) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let moments = reservations.compactMap { reservation -> Int64? in
            guard case .checkAt(let moment) = reservation else { return nil }
            return moment.millisecondsSince1970 - now.millisecondsSince1970
        }
        #expect(moments.sorted() == [1_000, 3_000, 7_000, 15_000])
        #expect(reservations.filter { if case .refused = $0 { true } else { false } }.count == 8)
        // Another email is its own; a right password starts over.
        #expect(try await store.reserveSignIn(key: SignInThrottle.key(email: "bob@example.com"), now: now) == .checkAt(now))
        try await store.clearSignIn(key: key)
        #expect(try await store.reserveSignIn(key: key, now: now) == .checkAt(now))
    }
}
