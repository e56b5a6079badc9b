#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
import HooklineCore
import NIOPosix

/// Resolves a destination host once, on threads of its own, and checks every address against
/// `DestinationPolicy`; the request then connects to the address that was checked.
struct DestinationResolver: Sendable {
    /// getaddrinfo blocks, up to the resolver's timeout for a host whose DNS does not answer: on
    /// threads of their own such waits hold up only other lookups (on NIO's shared pool they held
    /// up password hashing for 11-15 s under API fuzzing). Started once, for the life of the process.
    static let lookups: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 16)
        pool.start()
        return pool
    }()

    struct Refused: Error, CustomStringConvertible {
        let description: String
    }

    /// Returns a checked address of `host`, or throws `Refused`.
    func resolve(_ host: String) async throws -> DestinationPolicy.Address {
        let unbracketed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let addresses = try await Self.lookups.runIfActive { try Self.lookup(unbracketed) }
        guard !addresses.isEmpty else { throw Refused(description: "\(host) has no address") }
        // Every address must be allowed: otherwise a name with one public and one private address
        // could be steered to the private one.
        for address in addresses {
            if let reason = DestinationPolicy.refusal(for: address) {
                throw Refused(description: "destination \(host) resolves to \(address), which is \(reason); set HOOKLINE_ALLOW_PRIVATE_DESTINATIONS=1 to allow it")
            }
        }
        return addresses[0]
    }

    private static func lookup(_ host: String) throws -> [DestinationPolicy.Address] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        guard status == 0, let first = result else {
            throw Refused(description: "\(host) could not be resolved: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var addresses: [DestinationPolicy.Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let socketAddress = entry.pointee.ai_addr {
                switch Int32(entry.pointee.ai_family) {
                case AF_INET:
                    let v4 = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
                    let bytes = withUnsafeBytes(of: v4) { Array($0) }
                    addresses.append(.v4(bytes[0], bytes[1], bytes[2], bytes[3]))
                case AF_INET6:
                    let v6 = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
                    addresses.append(.v6(withUnsafeBytes(of: v6) { Array($0) }))
                default: break
                }
            }
            cursor = entry.pointee.ai_next
        }
        if !addresses.contains(where: { if case .v4 = $0 { true } else { false } }) { return addresses }
        // Prefer IPv4 first for connecting; all were checked anyway.
        return addresses.sorted { lhs, _ in if case .v4 = lhs { true } else { false } }
    }
}
