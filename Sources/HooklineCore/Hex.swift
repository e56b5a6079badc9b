/// Bytes as hexadecimal digits, two per byte.
public enum Hex {
    private static let lowercaseDigits = Array("0123456789abcdef".utf8)
    private static let uppercaseDigits = Array("0123456789ABCDEF".utf8)

    /// Written straight into the string's storage: digests are hex-encoded on every API request.
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let digits = uppercase ? uppercaseDigits : lowercaseDigits
        let array = Array(bytes)
        return String(unsafeUninitializedCapacity: array.count * 2) { buffer in
            for (index, byte) in array.enumerated() {
                buffer[2 * index] = digits[Int(byte >> 4)]
                buffer[2 * index + 1] = digits[Int(byte & 0x0F)]
            }
            return array.count * 2
        }
    }
}
