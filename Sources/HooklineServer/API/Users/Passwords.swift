import HummingbirdBcrypt
import NIOPosix

/// bcrypt, off the event loops: a hash takes tens of milliseconds by design.
public enum Passwords {
    /// 2^10 rounds: OWASP's floor for bcrypt, about 70 ms a hash on this project's test machines.
    static let cost: UInt8 = 10

    public static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
