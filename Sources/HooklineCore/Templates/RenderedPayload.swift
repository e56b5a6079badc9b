/// What a delivery sends, rendered from its webhook's template for one event at the first attempt
/// and sent unchanged on every retry.
public struct RenderedPayload: Sendable, Hashable {
    public var body: [UInt8]
    /// `nil` when there is no body (the `query` format).
    public var contentType: String?
    /// Parameters appended to the webhook's URL.
    public var query: String?
    /// The webhook's own headers, with their placeholders filled in.
    public var headers: [HeaderField]

    public init(body: [UInt8], contentType: String?, query: String? = nil, headers: [HeaderField] = []) {
        self.body = body
        self.contentType = contentType
        self.query = query
        self.headers = headers
    }

    /// The URL to send to: the webhook's, with the query parameters appended (before any fragment).
    public func url(from base: String) -> String {
        guard let query, !query.isEmpty else { return base }
        var url = Substring(base)
        var fragment = ""
        if let hash = url.firstIndex(of: "#") {
            fragment = String(url[hash...])
            url = url[..<hash]
        }
        let separator = url.contains("?") ? (url.hasSuffix("?") || url.hasSuffix("&") ? "" : "&") : "?"
        return url + separator + query + fragment
    }
}

/// A webhook's template and headers for one kind of event, checked and ready to render.
public struct CompiledWebhook: Sendable {
    public let kind: EventKind
    let template: CompiledTemplate
    let headers: [(name: String, value: TemplateText)]
    let preset: (preset: Preset, options: JSONObject)?

    public func render(_ values: JSONObject) -> RenderedPayload {
        let values = preset.map { $0.preset.values(for: kind, event: values, options: $0.options) } ?? values
        let document = template.render(values)
        let headers = headers.map { header in
            // A value from an event must not be able to add a header line.
            var value = ""
            for scalar in header.value.interpolate(values).unicodeScalars {
                value.unicodeScalars.append(scalar == "\r" || scalar == "\n" ? " " : scalar)
            }
            return HeaderField(name: header.name, value: value)
        }
        if template.format == .query {
            return RenderedPayload(body: [], contentType: nil, query: String(decoding: document, as: UTF8.self), headers: headers)
        }
        return RenderedPayload(body: document, contentType: template.format.contentType, headers: headers)
    }
}

extension WebhookSettings {
    /// The template and headers for an event kind, checked against the catalogue (and what the
    /// preset computes).
    public func compile(for kind: EventKind, catalogue: TokenCatalogue = .standard) throws(TemplateError) -> CompiledWebhook {
        let choice = template.presetChoice
        let preset = choice?.preset
        let catalogue = preset?.catalogue ?? catalogue
        guard let source = template.template(for: kind) else {
            throw .syntax(message: "preset '\(choice?.name ?? "")' does not exist", line: 1, column: 1)
        }
        let compiled = try source.compile(catalogue: catalogue)
        var headerTexts: [(name: String, value: TemplateText)] = []
        for header in headers {
            let text = TemplateText(parsing: header.value)
            try text.check(against: catalogue)
            headerTexts.append((header.name, text))
        }
        return CompiledWebhook(kind: kind, template: compiled, headers: headerTexts, preset: preset.map { ($0, choice!.optionValues) })
    }
}
