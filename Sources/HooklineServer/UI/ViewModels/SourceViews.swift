/// The Sources page: the account's sources, the form to add one (or a `json` source's rules step)
/// and a new address, shown once.
struct SourcesView {
    struct Row {
        let id: String
        let name: String
        let kind: String
        let received: Int
        let refused: Int
    }

    struct Entered {
        var name = ""
        var kind = ""
        var user = ""
        var key = ""
        var example = ""
    }

    struct Address {
        let name: String
        let url: String
    }

    let sources: [Row]
    let form: Entered
    let errors: FormErrors
    let kinds: [ValueOption]
    let hasAddress: Bool
    let address: Address?
    let hasRules: Bool
    let rules: JSONRulesView?
}

/// A `json` source's rules step: the example's fields with the token each lands on, the fields
/// to read the id and the event from, and which of its values means which event.
struct JSONRulesView {
    struct PathOption {
        let path: String
        let selected: Bool
    }

    struct Rule {
        let kind: String
        let input: String
        let value: String
        let error: String?
    }

    struct KindOption {
        let kind: String
        let selected: Bool
    }

    let example: String
    let fields: [FieldChoice]
    let idPaths: [PathOption]
    let eventPaths: [PathOption]
    let rules: [Rule]
    let otherKinds: [KindOption]
    let otherError: String?
}
