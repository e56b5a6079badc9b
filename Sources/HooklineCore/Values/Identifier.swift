/// Identifiers that sort by creation time (a millisecond clock, then randomness), so lists can
/// page by id, newest first: `prefix_` then 12 hex digits of clock and 16 of randomness.
public enum Identifier {
    public static func make(_ prefix: String, at time: Timestamp) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next() as UInt64
        let clock = UInt64(max(0, time.millisecondsSince1970))
        let prefixBytes = prefix.utf8.count
        // Written digit by digit: every event and delivery gets one, on the writer's thread.
        return String(unsafeUninitializedCapacity: prefixBytes + 29) { buffer in
            var index = 0
            for byte in prefix.utf8 {
                buffer[index] = byte
                index += 1
            }
            buffer[index] = UInt8(ascii: "_")
            index += 1
            for shift in stride(from: 44, through: 0, by: -4) {
                buffer[index] = Hex.digit(UInt8(truncatingIfNeeded: clock >> UInt64(shift)) & 0xF)
                index += 1
            }
            for shift in stride(from: 60, through: 0, by: -4) {
                buffer[index] = Hex.digit(UInt8(truncatingIfNeeded: random >> UInt64(shift)) & 0xF)
                index += 1
            }
            return index
        }
    }

    /// A bound below every identifier with `prefix` made at `time` or later, and above every one
    /// made before: `id < bound` picks what is older, on the primary key alone.
    public static func bound(_ prefix: String, before time: Timestamp) -> String {
        let clock = UInt64(max(0, time.millisecondsSince1970))
        return prefix + "_" + String(stride(from: 44, through: 0, by: -4).map { Character(UnicodeScalar(Hex.digit(UInt8(truncatingIfNeeded: clock >> UInt64($0)) & 0xF))) })
    }
}
