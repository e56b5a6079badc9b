extension PageTemplates {
    static let sources = """
        {{> top}}
        <h1>Sources</h1>
        <p>A source is an address a provider sends its own webhook to: Roistat's call webhook, Roistat's CRM webhook or Envybox's. Each call or lead it reports then goes to every matching webhook, in any shape, with retries and a log.</p>
        {{#hasAddress}}<p class="secret" role="status" id="new-address">Address of {{address.name}} (shown once; give it to the provider): <code>{{address.url}}</code></p>{{/hasAddress}}
        {{^sources}}<p class="empty">No sources yet.</p>{{/sources}}
        <table class="list"><thead><tr><th>Name</th><th>Kind</th><th>Received</th><th>Refused</th><th></th></tr></thead><tbody>
        {{#sources}}<tr><td>{{name}}</td><td>{{kind}}</td><td>{{received}}</td><td>{{refused}}</td>
          <td><form method="post" action="/sources/{{id}}/rotate-secret" class="inline"><input type="hidden" name="form_token" value="{{formToken}}"><button type="submit" class="link">New address</button></form>
          <form method="post" action="/sources/{{id}}/delete" class="inline"><input type="hidden" name="form_token" value="{{formToken}}"><button type="submit" class="link danger">Delete</button></form></td></tr>{{/sources}}
        </tbody></table>
        <section class="panel narrow">
          <h2>Add a source</h2>
          <form method="post" action="/sources" class="stack">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <label for="source-name">Name</label>
            <input id="source-name" name="name" value="{{form.name}}" {{#errors.name}}aria-invalid="true"{{/errors.name}}>
            {{#errors.name}}<p id="name-error" class="field-error" role="alert">{{errors.name}}</p>{{/errors.name}}
            <label for="source-kind">Sent by</label>
            <select id="source-kind" name="kind"><option value="">Choose…</option>{{#kinds}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{value}}</option>{{/kinds}}</select>
            {{#errors.kind}}<p id="kind-error" class="field-error" role="alert">{{errors.kind}}</p>{{/errors.kind}}
            <label for="source-user">Roistat CRM user <span class="note">(roistat.crm: with the password, requests must carry md5(user + password))</span></label>
            <input id="source-user" name="user" value="{{form.user}}" autocomplete="off">
            {{#errors.user}}<p class="field-error" role="alert">{{errors.user}}</p>{{/errors.user}}
            <label for="source-password">Roistat CRM password</label>
            <input id="source-password" name="password" type="password" autocomplete="off">
            {{#errors.password}}<p class="field-error" role="alert">{{errors.password}}</p>{{/errors.password}}
            <label for="source-key">Envybox key <span class="note">(envybox: forms with another key are refused)</span></label>
            <input id="source-key" name="key" value="{{form.key}}" autocomplete="off">
            {{#errors.key}}<p class="field-error" role="alert">{{errors.key}}</p>{{/errors.key}}
            <button type="submit">Add source</button>
          </form>
        </section>
        {{> bottom}}
        """
}
