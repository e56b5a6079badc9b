/// The single source of truth for the values an event carries: ingest validates against it,
/// templates reference it, `GET /v1/tokens` lists it.
public struct TokenCatalogue: Sendable {
    public let tokens: [Token]
    private let index: [String: Token]
    private let longestNameBytes: Int

    public init(tokens: [Token]) {
        self.tokens = tokens
        self.index = Dictionary(tokens.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.longestNameBytes = tokens.map(\.name.utf8.count).max() ?? 0
    }

    public subscript(name: String) -> Token? { index[name] }

    public func tokens(in category: TokenCategory) -> [Token] {
        tokens.filter { $0.category == category }
    }

    /// The known names closest to `name`, for "did you mean" messages.
    public func nearestNames(to name: String, limit: Int = 3) -> [String] {
        // Edit distance costs the product of the lengths; a name twice as long as any known one
        // is near none of them.
        guard name.utf8.count <= 2 * longestNameBytes else { return [] }
        let scored = tokens.map { ($0.name, editDistance(name, $0.name)) }
        let threshold = max(2, name.count / 2)
        return
            scored
            .filter { $0.1 <= threshold || $0.0.hasPrefix(name) || name.hasPrefix($0.0) }
            .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(limit)
            .map(\.0)
    }

    /// "unknown token 'x'; nearest known: …", the one wording every place that checks names uses.
    public func unknownTokenMessage(_ name: String) -> String {
        TemplateError.unknownToken(name: name, nearest: nearestNames(to: name)).description
    }

    /// The values the catalogue gives as examples, in catalogue order: a whole sample event.
    public var exampleValues: JSONObject {
        JSONObject(tokens.map { ($0.name, $0.example) })
    }
}

func editDistance(_ lhs: String, _ rhs: String) -> Int {
    let a = Array(lhs.utf8)
    let b = Array(rhs.utf8)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
