/// Comparing a secret with what a request gave, in time that does not depend on where they first
/// differ (only on their lengths), so the secret cannot be found a byte at a time.
public enum ConstantTime {
    public static func equals(_ given: some StringProtocol, _ expected: some StringProtocol) -> Bool {
        let given = Array(given.utf8)
        let expected = Array(expected.utf8)
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        return difference == 0
    }
}
