import HooklineCore
import PropertyBased
import Testing

/// An object keeps its members in insertion order, small (scanned) or large (indexed), through any
/// mix of setting, replacing and removing: checked against a plain list of pairs.
@Suite struct JSONObjectTests {
    /// Twenty keys, so objects cross the size where lookups switch to an index both ways.
    static let names = (0..<17).map { "k\($0)" } + ["é", "e\u{301}x", "ключ"]

    @Test func anyMixOfSetsAndRemovalsKeepsOrderAndLookupsOfAPlainList() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...59).array(of: 0...80)) { operations in
            var object = JSONObject()
            var model: [(key: String, value: JSONValue)] = []
            for (step, operation) in operations.enumerated() {
                let key = Self.names[operation % Self.names.count]
                let position = model.firstIndex { $0.key == key }
                if operation >= 40 {
                    object[key] = nil
                    if let position { model.remove(at: position) }
                } else {
                    object[key] = .integer(Int64(step))
                    if let position { model[position].value = .integer(Int64(step)) } else { model.append((key, .integer(Int64(step)))) }
                }
                #expect(object.count == model.count)
            }
            #expect(object.keys == model.map(\.key))
            #expect(Array(object).map(\.value) == model.map(\.value))
            for key in Self.names { #expect(object[key] == model.first { $0.key == key }?.value, "\(key)") }
            let rebuilt = JSONObject(model.map { ($0.key, $0.value) })
            #expect(rebuilt == object)
            #expect(rebuilt.hashValue == object.hashValue)
            #expect(rebuilt.jsonText == object.jsonText)
        }
    }

    @Test func objectsWithTheSameMembersInAnotherOrderDiffer() {
        let large = JSONObject(Self.names.map { ($0, JSONValue.integer(1)) })
        let reversed = JSONObject(Self.names.reversed().map { ($0, JSONValue.integer(1)) })
        #expect(large != reversed)
        #expect(large.merging(reversed) == large)
        #expect(JSONObject([("a", 1), ("b", 2)]) != JSONObject([("b", 2), ("a", 1)]))
    }
}
