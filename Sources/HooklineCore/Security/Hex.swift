/// Bytes as hexadecimal digits, two per byte.
public enum Hex {
    /// The digit of a value from 0 to 15.
    public static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? UInt8(ascii: "A") : UInt8(ascii: "a")) + nibble - 10
    }

    /// Written straight into the string's storage: digests are hex-encoded on every API request.
    public static func encode(_ bytes: some Sequence<UInt8>, uppercase: Bool = false) -> String {
        let array = Array(bytes)
        return String(unsafeUninitializedCapacity: array.count * 2) { buffer in
            for (index, byte) in array.enumerated() {
                buffer[2 * index] = digit(byte >> 4, uppercase: uppercase)
                buffer[2 * index + 1] = digit(byte & 0x0F, uppercase: uppercase)
            }
            return array.count * 2
        }
    }
}
