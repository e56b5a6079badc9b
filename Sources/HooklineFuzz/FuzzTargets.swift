import HooklineCore
import HooklineServer

/// Every parser that takes outside input, each as a function of raw bytes that must return
/// (a thrown parse error is a return) and keep its own promises: what parses, renders; what is
/// written, reads back.
enum FuzzTargets {
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "json": json, "xml": xml, "template": template, "timestamp": timestamp, "jsonpath": jsonPath,
        "extract": extract, "webhook": webhook, "ingest": ingest,
    ]

    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func json(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes) else { return }
        let written = value.jsonText
        guard let again = try? JSONParser.parse(written) else { fatalError("written JSON does not parse: \(written)") }
        // Numbers may change spelling (1e2 is written 100.0), so compare the second writing.
        precondition(again.jsonText == written, "JSON does not read back: \(written)")
    }

    static func xml(_ bytes: [UInt8]) {
        _ = try? XMLReader.parseDocument(text(bytes))
    }

    /// The first byte picks the format; the rest is the body, rendered with the catalogue's
    /// examples when it compiles.
    static func template(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let formats = TemplateFormat.allCases
        let format = formats[Int(first) % formats.count]
        let body = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let compiled = try? Template(format: format, body: body).compile() else { return }
        let rendered = compiled.render(TokenCatalogue.standard.exampleValues)
        if format == .json {
            precondition((try? JSONParser.parse(rendered)) != nil, "rendered JSON does not parse: \(body)")
        }
        if format == .xml {
            precondition((try? XMLReader.parse(String(decoding: rendered, as: UTF8.self))) != nil, "rendered XML does not parse: \(body)")
        }
    }

    static func timestamp(_ bytes: [UInt8]) {
        guard let time = Timestamp(parsing: text(bytes)) else { return }
        precondition(Timestamp(parsing: time.iso8601) == time, "\(time.iso8601) does not read back")
    }

    static func jsonPath(_ bytes: [UInt8]) {
        guard let path = try? JSONPath(parsing: text(bytes)) else { return }
        precondition((try? JSONPath(parsing: path.description))?.steps == path.steps, "\(path.description) does not read back")
    }

    static func extract(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        _ = try? TemplateExtraction.fields(of: String(decoding: bytes.dropFirst(), as: UTF8.self), format: first % 2 == 0 ? .json : .xml)
    }

    /// A webhook's settings as an API body, then shown back and read again.
    static func webhook(_ bytes: [UInt8]) {
        guard let body = try? JSONParser.parse(bytes), let settings = try? WebhookSettings(json: body) else { return }
        guard let again = try? WebhookSettings(json: .object(settings.json), updating: settings) else {
            fatalError("settings shown back do not read back: \(settings.json.jsonText)")
        }
        precondition(again == settings, "settings change on a round trip: \(settings.json.jsonText)")
        for kind in settings.triggers { _ = try? settings.compile(for: kind).render(TokenCatalogue.standard.exampleValues) }
    }

    static func ingest(_ bytes: [UInt8]) {
        guard let body = try? JSONParser.parse(bytes) else { return }
        for kind in EventKind.allCases { _ = try? TokenValidator().validate(body, for: kind) }
    }
}
