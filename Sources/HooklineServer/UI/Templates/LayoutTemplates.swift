extension PageTemplates {
    static let layoutTop = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Hookline</title>
        <link rel="stylesheet" href="/ui/hookline.css">
        <script src="/ui/hookline.js" defer></script>
        </head>
        <body>
        <header class="top">
          <a class="brand" href="/">Hookline</a>
          {{#user}}
          <nav>
            <a href="/webhooks" {{#nav_webhooks}}aria-current="page"{{/nav_webhooks}}>Webhooks</a>
            <a href="/deliveries" {{#nav_deliveries}}aria-current="page"{{/nav_deliveries}}>Deliveries</a>
            <a href="/locations" {{#nav_locations}}aria-current="page"{{/nav_locations}}>Locations</a>
            <a href="/campaigns" {{#nav_campaigns}}aria-current="page"{{/nav_campaigns}}>Campaigns</a>
            <a href="/treatments" {{#nav_treatments}}aria-current="page"{{/nav_treatments}}>Treatments</a>
            <a href="/sources" {{#nav_sources}}aria-current="page"{{/nav_sources}}>Sources</a>
            <a href="/tokens" {{#nav_tokens}}aria-current="page"{{/nav_tokens}}>Tokens</a>
            {{#admin}}<a href="/users" {{#nav_users}}aria-current="page"{{/nav_users}}>Users</a>{{/admin}}
          </nav>
          <form method="post" action="/sign-out" class="signout">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <span class="who">{{email}}</span> <button type="submit" class="link">Sign out</button>
          </form>
          {{/user}}
        </header>
        <main>
        {{#flash}}<p class="flash" role="status">{{flash}}</p>{{/flash}}
        """

    static let layoutBottom = """
        </main>
        </body>
        </html>
        """

    static let error = """
        {{> top}}
        <h1>{{status}} {{title}}</h1>
        <p class="error" role="alert">{{message}}</p>
        <p><a href="/">Back to Hookline</a></p>
        {{> bottom}}
        """

    static let signIn = """
        {{> top}}
        <section class="narrow">
        <h1>Sign in</h1>
        <form method="post" action="/sign-in" class="stack">
          <input type="hidden" name="sign_in_token" value="{{signInToken}}">
          <input type="hidden" name="next" value="{{next}}">
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value="{{email}}">
          <label for="password">Password</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required
            {{#error}}aria-invalid="true" aria-describedby="password-error"{{/error}}>
          {{#error}}<p id="password-error" class="field-error" role="alert">{{error}}</p>{{/error}}
          <button type="submit">Sign in</button>
        </form>
        </section>
        {{> bottom}}
        """
}
