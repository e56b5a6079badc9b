import Foundation
import Testing
import HooklineCore
import HooklineStore
import HooklineTestSupport

/// What a PostgreSQL store says when its database is not there, or its URL is wrong.
@Suite struct PostgresAvailabilityTests {
    @Test func aBadURLIsRefusedWithWhatIsWrong() {
        for (url, message) in [
            ("mysql://u@h/db", "is not a PostgreSQL URL"),
            ("postgres://h/db", "names no user"),
            ("postgres://u@h", "names no database"),
            ("postgres://u@h:5432/db?sslmode=sometimes", "sslmode must be"),
            ("postgres://u@h:5432/db?pool=3", "parameter 'pool' is not known"),
            ("postgres://u@h:5432/db?schema=Hook;drop", "schema 'Hook;drop' must be"),
        ] {
            #expect(throws: PostgresLocationError.self) { try PostgresLocation(url: url) }
            do {
                _ = try PostgresLocation(url: url)
            } catch {
                #expect("\(error)".contains(message), "\(url): \(error)")
            }
        }
        let location = try? PostgresLocation(url: "postgresql://app:s3cret@db.internal:6432/hookline?sslmode=require")
        #expect(location?.port == 6432 && location?.password == "s3cret" && location?.tls == .require)
        #expect(location?.description == "postgres://app:[redacted]@db.internal:6432/hookline")
        let scoped = try? PostgresLocation(url: "postgres://app@db.internal/hookline?schema=tenant_7")
        #expect(scoped?.schema == "tenant_7" && scoped?.port == 5432)
    }

    /// Nothing listens on the port: the store answers `unavailable` naming the database, within
    /// the connect timeout, instead of waiting for ever.
    @Test func aDatabaseThatIsNotThereIsUnavailableNotAHang() async throws {
        let port = try freeLoopbackPort()
        let store = try PostgresStore(url: "postgres://hookline@127.0.0.1:\(port)/hookline", maximumConnections: 2)
        let outcome = await withTaskGroup(of: String.self) { group in
            group.addTask {
                do {
                    try await store.ping()
                    return "answered"
                } catch {
                    return "\(error)"
                }
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(120))
                return "still waiting after 120 s"
            }
            let first = await group.next() ?? ""
            group.cancelAll()
            return first
        }
        #expect(outcome.contains("cannot be reached") && outcome.contains("127.0.0.1:\(port)/hookline"), "\(outcome)")
    }
}

/// A loopback port nothing listens on (bound, read, and closed).
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
    }
    guard bound else { throw TestScratch.SetupError("no free loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
}
