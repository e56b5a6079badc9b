/// How a message quotes what a client sent: a short prefix, so an answer never grows with the
/// input it refuses.
public enum Echo {
    public static let maximumCharacters = 64

    public static func quoted<Text: StringProtocol>(_ text: Text) -> String {
        guard text.count > maximumCharacters else { return String(text) }
        return String(text.prefix(maximumCharacters)) + "…(\(text.utf8.count) bytes)"
    }
}
