/// Which network addresses webhooks may be sent to. By default only public unicast addresses:
/// a user-supplied URL must not reach the operator's own network (SSRF).
public enum DestinationPolicy {
    public enum Address: Sendable, Hashable, CustomStringConvertible {
        case v4(UInt8, UInt8, UInt8, UInt8)
        case v6([UInt8])

        public var description: String {
            switch self {
            case .v4(let a, let b, let c, let d): "\(a).\(b).\(c).\(d)"
            case .v6(let bytes):
                stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
            }
        }
    }

    /// Why an address is refused, or nil when it is public.
    public static func refusal(for address: Address) -> String? {
        switch address {
        case .v4(let a, let b, let c, _):
            switch (a, b) {
            case (0, _): return "unspecified (0.0.0.0/8)"
            case (10, _): return "private (10.0.0.0/8)"
            case (100, 64...127): return "carrier-grade NAT (100.64.0.0/10)"
            case (127, _): return "loopback (127.0.0.0/8)"
            case (169, 254): return "link-local (169.254.0.0/16)"
            case (172, 16...31): return "private (172.16.0.0/12)"
            case (192, 168): return "private (192.168.0.0/16)"
            case (192, 0) where c == 0: return "IETF protocol assignments (192.0.0.0/24)"
            case (198, 18...19): return "benchmarking (198.18.0.0/15)"
            case (224...239, _): return "multicast (224.0.0.0/4)"
            case (240...255, _): return "reserved or broadcast (240.0.0.0/4)"
            default: return nil
            }
        case .v6(let bytes):
            guard bytes.count == 16 else { return "malformed IPv6 address" }
            if bytes.allSatisfy({ $0 == 0 }) { return "unspecified (::)" }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return "loopback (::1)" }
            // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64
            // (64:ff9b::a.b.c.d) reach the IPv4 address in their last four bytes.
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && (bytes[10] == 0xFF && bytes[11] == 0xFF || bytes[10] == 0 && bytes[11] == 0)
                || bytes[0..<12] == [0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0]
            {
                return refusal(for: .v4(bytes[12], bytes[13], bytes[14], bytes[15])).map { "\($0), inside IPv6" }
            }
            // Local-use NAT64 translates into the operator's own networks, whatever the suffix.
            if bytes[0..<6] == [0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01] { return "local-use NAT64 (64:ff9b:1::/48)" }
            // 6to4 (2002:a.b.c.d::/48) is routed to the IPv4 address in bytes 2 to 5.
            if bytes[0] == 0x20 && bytes[1] == 0x02 {
                return refusal(for: .v4(bytes[2], bytes[3], bytes[4], bytes[5])).map { "\($0), inside 6to4 (2002::/16)" }
            }
            // Teredo (2001::/32) carries its server's IPv4 address, and its client's inverted.
            if bytes[0..<4] == [0x20, 0x01, 0x00, 0x00] {
                if let refusal = refusal(for: .v4(bytes[4], bytes[5], bytes[6], bytes[7])) { return "\(refusal), inside Teredo (2001::/32)" }
                return refusal(for: .v4(~bytes[12], ~bytes[13], ~bytes[14], ~bytes[15])).map { "\($0), inside Teredo (2001::/32)" }
            }
            if bytes[0] & 0xFE == 0xFC { return "unique local (fc00::/7)" }
            if bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80 { return "link-local (fe80::/10)" }
            if bytes[0] == 0xFF { return "multicast (ff00::/8)" }
            return nil
        }
    }
}
