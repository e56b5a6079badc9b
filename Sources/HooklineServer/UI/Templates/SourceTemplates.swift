extension PageTemplates {
    static let sources = """
        {{> top}}
        <h1>Sources</h1>
        <p>A source is an address a provider sends its own webhook to: Roistat's call webhook, Roistat's CRM webhook, Envybox's, or any tracker's JSON read by rules you build from an example. Each call or lead it reports then goes to every matching webhook, in any shape, with retries and a log.</p>
        {{#hasAddress}}<p class="secret" role="status" id="new-address">Address of {{address.name}} (shown once; give it to the provider): <code>{{address.url}}</code></p>{{/hasAddress}}
        {{^sources}}<p class="empty">No sources yet.</p>{{/sources}}
        <table class="list"><thead><tr><th>Name</th><th>Kind</th><th>Received</th><th>Refused</th><th></th></tr></thead><tbody>
        {{#sources}}<tr><td>{{name}}</td><td>{{kind}}</td><td>{{received}}</td><td>{{refused}}</td>
          <td><form method="post" action="/sources/{{id}}/rotate-secret" class="inline"><input type="hidden" name="form_token" value="{{formToken}}"><button type="submit" class="link">New address</button></form>
          <form method="post" action="/sources/{{id}}/delete" class="inline"><input type="hidden" name="form_token" value="{{formToken}}"><button type="submit" class="link danger">Delete</button></form></td></tr>{{/sources}}
        </tbody></table>
        {{#hasRules}}
        <section class="panel" id="json-rules">
          <h2>How to read {{form.name}}</h2>
          <p>Pick the data point each field of the example lands on; fields left on "keep" are kept with the event as <code>source_fields</code>. Then say which field holds the call's or lead's id, and which event each payload is.</p>
          <form method="post" action="/sources" class="stack">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <input type="hidden" name="step" value="rules">
            <input type="hidden" name="name" value="{{form.name}}">
            <input type="hidden" name="kind" value="json">
            <input type="hidden" name="example" value="{{rules.example}}">
            <table class="list mapping">
              <thead><tr><th>Field</th><th>Example value</th><th>Data point</th></tr></thead>
              <tbody>
              {{#rules.fields}}
              <tr>
                <td><code>{{path}}</code></td><td>{{sample}}</td>
                <td><select name="{{input}}" aria-label="Data point for {{path}}" {{#error}}aria-invalid="true"{{/error}}>
                  <option value="">keep as a source field</option>
                  {{#categories}}<optgroup label="{{category}}">{{#tokens}}<option value="{{name}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/tokens}}</optgroup>{{/categories}}
                </select>
                {{#error}}<p class="field-error" role="alert">{{error}}</p>{{/error}}</td>
              </tr>
              {{/rules.fields}}
              </tbody>
            </table>
            <label for="id_path">Field holding the call's or lead's id</label>
            <select id="id_path" name="id_path" {{#errors.id_path}}aria-invalid="true"{{/errors.id_path}}><option value="">Choose…</option>{{#rules.idPaths}}<option value="{{path}}" {{#selected}}selected{{/selected}}>{{path}}</option>{{/rules.idPaths}}</select>
            {{#errors.id_path}}<p class="field-error" role="alert">{{errors.id_path}}</p>{{/errors.id_path}}
            <label for="event_path">Field saying which event it is</label>
            <select id="event_path" name="event_path" {{#errors.event_path}}aria-invalid="true"{{/errors.event_path}}><option value="">none: every payload is the same event</option>{{#rules.eventPaths}}<option value="{{path}}" {{#selected}}selected{{/selected}}>{{path}}</option>{{/rules.eventPaths}}</select>
            {{#errors.event_path}}<p class="field-error" role="alert">{{errors.event_path}}</p>{{/errors.event_path}}
            <fieldset class="stack">
              <legend>Values of that field, for each event <span class="note">(comma-separated, e.g. call_started)</span></legend>
              {{#rules.rules}}
              <label for="{{input}}">{{kind}}</label>
              <input id="{{input}}" name="{{input}}" value="{{value}}" {{#error}}aria-invalid="true"{{/error}}>
              {{#error}}<p class="field-error" role="alert">{{error}}</p>{{/error}}
              {{/rules.rules}}
              <label for="rule-other">Any other value, or every payload when no field says</label>
              <select id="rule-other" name="rule.other" {{#rules.otherError}}aria-invalid="true"{{/rules.otherError}}><option value="">refuse it</option>{{#rules.otherKinds}}<option value="{{kind}}" {{#selected}}selected{{/selected}}>{{kind}}</option>{{/rules.otherKinds}}</select>
              {{#rules.otherError}}<p class="field-error" role="alert">{{rules.otherError}}</p>{{/rules.otherError}}
              {{#errors.rules}}<p id="rules-error" class="field-error" role="alert">{{errors.rules}}</p>{{/errors.rules}}
            </fieldset>
            <button type="submit">Add source</button>
          </form>
        </section>
        {{/hasRules}}
        {{^hasRules}}
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
            <label for="source-example">Example of the tracker's JSON <span class="note">(json: paste one payload as the tracker posts it; its fields are mapped next)</span></label>
            <textarea id="source-example" name="example" rows="8" spellcheck="false" {{#errors.example}}aria-invalid="true"{{/errors.example}}>{{form.example}}</textarea>
            {{#errors.example}}<p id="example-error" class="field-error" role="alert">{{errors.example}}</p>{{/errors.example}}
            <button type="submit">Add source</button>
          </form>
        </section>
        {{/hasRules}}
        {{> bottom}}
        """
}
