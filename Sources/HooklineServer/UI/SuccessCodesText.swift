import HooklineCore

/// Success codes as people write them: runs as ranges ("200-299, 302"), read back the same way.
enum SuccessCodesText {
    static func text(_ codes: [Int]) -> String {
        var parts: [String] = []
        var index = 0
        let sorted = Array(Set(codes)).sorted()
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            parts.append(end - index >= 2 ? "\(sorted[index])-\(sorted[end])" : (index...end).map { String(sorted[$0]) }.joined(separator: ", "))
            index = end + 1
        }
        return parts.joined(separator: ", ")
    }

    /// Nil when a part is neither a code nor a range of codes.
    static func codes(_ text: String) -> [Int]? {
        var codes: [Int] = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard let low = bounds.first.flatMap({ Int($0) }), let high = bounds.last.flatMap({ Int($0) }), bounds.count <= 2, low <= high, high - low < 1000 else { return nil }
            codes += Array(low...high)
        }
        return codes
    }

    /// The codes as the API takes them, for the input named `field`.
    static func json(_ text: String, field: String) throws(FieldError) -> JSONValue {
        guard let codes = codes(text), !codes.isEmpty else { throw FieldError(field, "give codes or ranges separated by commas, such as 200-299, 302") }
        return .array(codes.map { .integer(Int64($0)) })
    }
}
