import HooklineCore

// The small shapes the pages' lists and inputs share.

/// A name and its value: a header, a known value of a call, a hidden input.
struct NameValue {
    let name: String
    let value: String
}

/// An option of a select whose text is its value.
struct ValueOption {
    let value: String
    let selected: Bool
}

/// An option of a select with its own text.
struct LabeledOption {
    let value: String
    let label: String
    let selected: Bool
}

/// A checkbox.
struct Check {
    let value: String
    let checked: Bool
}

/// A webhook in a dropdown.
struct WebhookOption {
    let id: String
    let name: String
    let selected: Bool

    static func list(_ webhooks: [Webhook], selected: String? = nil) -> [WebhookOption] {
        webhooks.filter { !$0.isChannel }.map { WebhookOption(id: $0.id, name: $0.settings.name, selected: $0.id == selected) }
    }
}

/// A field of an example to read or fill, with the catalogue's tokens to choose from.
struct FieldChoice {
    let path: String
    let input: String
    let sample: String
    let error: String?
    let categories: [TokenGroup]

    init(_ field: TemplateExtraction.Field, chosen: String, error: String?, excluding: Set<TokenCategory> = []) {
        path = field.path
        input = "map.\(field.path)"
        sample = field.sample.stringValue ?? field.sample.jsonText
        self.error = error
        categories = TokenGroup.all(selected: chosen, excluding: excluding)
    }
}

/// The catalogue's tokens of one category, for a field's dropdown.
struct TokenGroup {
    struct Choice {
        let name: String
        let label: String
        let selected: Bool
    }

    let category: String
    let tokens: [Choice]

    static func all(selected: String, excluding: Set<TokenCategory> = []) -> [TokenGroup] {
        TokenCategory.allCases.filter { !excluding.contains($0) }.compactMap { category in
            let tokens = TokenCatalogue.standard.tokens(in: category)
            guard !tokens.isEmpty else { return nil }
            return TokenGroup(
                category: category.rawValue,
                tokens: tokens.map { token in
                    let example = token.example.stringValue ?? token.example.jsonText
                    return Choice(name: token.name, label: "\(token.name): \(token.description)\(example.isEmpty ? "" : " (e.g. \(example))")", selected: token.name == selected)
                })
        }
    }
}

/// Mistakes of a posted form by the name of the input they belong beside.
typealias FormErrors = [String: String]
