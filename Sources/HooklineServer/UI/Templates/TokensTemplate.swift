extension PageTemplates {
    static let tokens = """
        {{> top}}
        <h1>Tokens</h1>
        <p>Put a token in a template as <code>%name%</code>; it is replaced by the call's, lead's or location's value when the webhook is sent.</p>
        <label class="search">Search <input type="search" id="token-search" placeholder="ani, utm, duration…" autocomplete="off"></label>
        <p id="token-count" class="note" aria-live="polite"></p>
        {{#categories}}
        <section class="token-category" data-category="{{name}}">
          <h2>{{name}}</h2>
          <table class="list tokens">
            <thead><tr><th>Token</th><th>Description</th><th>Example</th></tr></thead>
            <tbody>
            {{#tokens}}<tr class="token-row" data-search="{{search}}"><td><code>%{{name}}%</code></td><td>{{description}}</td><td><code>{{example}}</code></td></tr>{{/tokens}}
            </tbody>
          </table>
        </section>
        {{/categories}}
        {{> bottom}}
        """
}
