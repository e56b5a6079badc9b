extension PageTemplates {
    static let locations = """
        {{> top}}
        <h1>Locations</h1>
        {{^locations}}<p class="empty">No locations yet. Add them with <code>POST /v1/locations</code>.</p>{{/locations}}
        <table class="list">
          <thead><tr><th>Location</th><th>City</th><th>Its webhooks</th></tr></thead>
          <tbody>{{#locations}}<tr><td><a href="/locations/{{id}}">{{name}}</a></td><td>{{city}}</td><td>{{webhooks}}</td></tr>{{/locations}}</tbody>
        </table>
        {{> bottom}}
        """

    static let webhookTable = """
        <table class="list">
          <thead><tr><th>Name</th><th>URL</th><th>Template</th><th>Triggers</th><th>Health</th><th>Deliveries (24 h)</th><th></th></tr></thead>
          <tbody>
          {{#rows}}<tr>
            <td><a href="/webhooks/{{id}}">{{name}}</a></td><td class="url">{{url}}</td><td>{{template}}</td><td>{{triggers}}</td>
            <td><span class="badge {{health}}">{{health}}</span>{{^enabled}} <span class="badge off">disabled</span>{{/enabled}}</td>
            <td>{{deliveries24h}}</td><td><a href="/webhooks/{{id}}/edit">Edit</a></td>
          </tr>{{/rows}}
          </tbody>
        </table>
        """

    static let location = """
        {{> top}}
        <p class="crumbs"><a href="/locations">Locations</a> ›</p>
        <h1>{{name}}</h1>
        <nav class="tabs" aria-label="Location">
          <a href="/locations/{{id}}?tab=details" {{#tab_details}}aria-current="page"{{/tab_details}}>Details</a>
          <a href="/locations/{{id}}" {{#tab_webhooks}}aria-current="page"{{/tab_webhooks}}>Webhook Management</a>
        </nav>
        {{#tab_details}}
        <dl class="facts">{{#details}}<dt>%{{name}}%</dt><dd>{{value}}</dd>{{/details}}</dl>
        {{/tab_details}}
        {{#tab_webhooks}}
        <div class="title-row"><h2>Webhooks of this location</h2><a class="button" href="/webhooks/new?location={{id}}">Add Webhook</a></div>
        {{> placements}}
        {{#own}}{{^rows}}<p class="empty">No webhook is enabled on this location yet.</p>{{/rows}}{{> webhook-table}}{{/own}}
        <h2>Account-wide webhooks</h2>
        <p class="note">These are sent for every call and lead, of every location.</p>
        {{#accountWide}}{{> webhook-table}}{{/accountWide}}
        {{/tab_webhooks}}
        {{> bottom}}
        """

    static let campaigns = """
        {{> top}}
        <h1>Campaigns</h1>
        {{^campaigns}}<p class="empty">No campaigns yet. Add them with <code>POST /v1/campaigns</code>.</p>{{/campaigns}}
        <table class="list">
          <thead><tr><th>Campaign</th><th>Kind</th><th>Tracking numbers</th></tr></thead>
          <tbody>{{#campaigns}}<tr><td><a href="/campaigns/{{id}}">{{name}}</a></td><td>{{kind}}</td><td>{{numbers}}</td></tr>{{/campaigns}}</tbody>
        </table>
        {{> bottom}}
        """

    static let campaign = """
        {{> top}}
        <p class="crumbs"><a href="/campaigns">Campaigns</a> ›</p>
        <h1>{{name}}</h1>
        <dl class="facts"><dt>Kind</dt><dd>{{kind}}</dd><dt>Tracking numbers</dt><dd>{{numbers}}</dd>{{#location}}<dt>Location</dt><dd><a href="/locations/{{location}}">{{location}}</a></dd>{{/location}}</dl>
        {{> placements}}
        {{> bottom}}
        """

    static let treatments = """
        {{> top}}
        <h1>Call treatments</h1>
        <p>Send a webhook only for callers who chose an option of a call treatment (an IVR question and the response they pressed), at the end of the call.</p>
        <section class="panel narrow">
          <form method="post" action="/treatments" class="stack">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <label for="question">Question</label>
            <input id="question" name="question" value="{{form.question}}" placeholder="Department" {{#errors.question}}aria-invalid="true"{{/errors.question}}>
            {{#errors.question}}<p id="question-error" class="field-error" role="alert">{{errors.question}}</p>{{/errors.question}}
            <label for="response">Response</label>
            <input id="response" name="response" value="{{form.response}}" placeholder="Sales" {{#errors.response}}aria-invalid="true"{{/errors.response}}>
            {{#errors.response}}<p id="response-error" class="field-error" role="alert">{{errors.response}}</p>{{/errors.response}}
            <label for="webhook_id">Webhook</label>
            <select id="webhook_id" name="webhook_id"><option value="">Choose…</option>{{#webhookOptions}}<option value="{{id}}" {{#selected}}selected{{/selected}}>{{name}}</option>{{/webhookOptions}}</select>
            {{#errors.webhook_id}}<p id="webhook_id-error" class="field-error" role="alert">{{errors.webhook_id}}</p>{{/errors.webhook_id}}
            <button type="submit">Enable on this option</button>
          </form>
        </section>
        {{^options}}<p class="empty">No webhook is enabled on a treatment option yet.</p>{{/options}}
        <table class="list" id="enabled"><thead><tr><th>Question</th><th>Response</th><th>Webhook</th><th>Sent at</th><th></th></tr></thead><tbody>
        {{#options}}<tr><td>{{question}}</td><td>{{response}}</td><td><a href="/webhooks/{{webhookID}}">{{webhook}}</a></td><td>{{moment}}</td>
          <td><form method="post" action="/treatments/remove" class="inline"><input type="hidden" name="form_token" value="{{formToken}}">
          <input type="hidden" name="webhook_id" value="{{webhookID}}"><input type="hidden" name="question" value="{{question}}"><input type="hidden" name="response" value="{{response}}">
          <button type="submit" class="link danger">Remove</button></form></td></tr>{{/options}}
        </tbody></table>
        {{> bottom}}
        """

    /// A place's webhooks (seed 004): the dropdown and the moment, then each one enabled here.
    static let placements = """
        <section class="panel narrow">
          <h2>Webhook</h2>
          <form method="post" action="{{placeBase}}/webhooks" class="stack">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <label for="webhook_id">Webhook</label>
            <select id="webhook_id" name="webhook_id" {{#errors.webhook_id}}aria-invalid="true"{{/errors.webhook_id}}>
              <option value="">Choose…</option>{{#webhookOptions}}<option value="{{id}}">{{name}}</option>{{/webhookOptions}}
            </select>
            <p class="note">A webhook sent for every call is limited to the places where it is enabled once you enable it here.</p>
            {{#errors.webhook_id}}<p id="webhook_id-error" class="field-error" role="alert">{{errors.webhook_id}}</p>{{/errors.webhook_id}}
            <fieldset><legend>Send it at</legend>
              <label><input type="radio" name="moment" value="beginning"> beginning of call</label>
              <label><input type="radio" name="moment" value="end" checked> end of call</label>
            </fieldset>
            {{#errors.moment}}<p id="moment-error" class="field-error" role="alert">{{errors.moment}}</p>{{/errors.moment}}
            <button type="submit">Enable on this {{placeNoun}}</button>
          </form>
        </section>
        <h2>Webhooks enabled on this {{placeNoun}}</h2>
        {{^enabled}}<p class="empty">None yet.</p>{{/enabled}}
        <table class="list" id="enabled"><tbody>
        {{#enabled}}<tr><td><a href="/webhooks/{{webhookID}}">{{webhook}}</a></td><td>{{moment}}{{#paused}} <span class="badge off">not sent: the webhook's triggers leave this moment out</span>{{/paused}}</td>
          <td><form method="post" action="{{placeBase}}/webhooks/{{webhookID}}/remove" class="inline"><input type="hidden" name="form_token" value="{{formToken}}"><input type="hidden" name="moment" value="{{momentValue}}"><button type="submit" class="link danger" aria-label="Remove {{webhook}} at the {{moment}}">Remove</button></form></td></tr>{{/enabled}}
        </tbody></table>
        """
}
