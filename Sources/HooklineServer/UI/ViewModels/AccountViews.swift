/// The token catalogue's page.
struct TokensView {
    struct Category {
        let name: String
        let tokens: [Row]
    }

    struct Row {
        let name: String
        let description: String
        let example: String
        /// What the page's search box matches, lowercased.
        let search: String
    }

    let categories: [Category]
}

/// The account's users, and the form to add one.
struct UsersView {
    struct Row {
        let id: String
        let email: String
        let role: String
        let createdAt: String
        let isSelf: Bool
    }

    struct Entered {
        let email: String
        let admin: Bool
        /// Stored, not computed: templates read stored properties only.
        let member: Bool

        init(email: String = "", admin: Bool = false) {
            (self.email, self.admin, member) = (email, admin, !admin)
        }
    }

    let users: [Row]
    let form: Entered
    let errors: FormErrors
}

/// The sign-in page.
struct SignInView {
    let next: String
    let email: String
    let error: String?
    let signInToken: String
}

/// A page's error, as the API would say it.
struct ErrorView {
    let status: Int
    let message: String
}
