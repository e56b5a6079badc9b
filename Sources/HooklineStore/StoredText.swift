import Foundation
import HooklineCore

/// How every engine keeps documents: settings, secrets and receipts as JSON text written by
/// Foundation's coders, token values as JSON objects read with Core's parser.
protocol StoredText {}

extension StoredText {
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    static func object(_ text: String) throws -> JSONObject {
        guard let object = try JSONParser.parse(text).objectValue else {
            throw StoreError.conflict("stored token values are not an object")
        }
        return object
    }
}
