import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// bcrypt, off the event loops: a hash takes tens of milliseconds by design.
public enum Passwords {
    /// 2^10 rounds: OWASP's floor for bcrypt, about 70 ms a hash on this project's test machines.
    static let cost: UInt8 = 10

    /// Threads of their own: the shared pool also resolves webhooks' host names, and a lookup
    /// that waits for a DNS timeout there would hold up every sign-in behind it. Started once,
    /// for the life of the process.
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    public static func hash(_ password: String) async throws -> String {
        try await pool.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await pool.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
