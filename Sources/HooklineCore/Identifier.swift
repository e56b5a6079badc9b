/// Identifiers that sort by creation time (a millisecond clock, then randomness), so lists can
/// page by id, newest first.
public enum Identifier {
    public static func make(_ prefix: String, at time: Timestamp) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        let clock = String(UInt64(max(0, time.millisecondsSince1970)), radix: 16)
        let noise = String(random, radix: 16)
        return prefix + "_" + String(repeating: "0", count: max(0, 12 - clock.count)) + clock
            + String(repeating: "0", count: 16 - noise.count) + noise
    }
}
