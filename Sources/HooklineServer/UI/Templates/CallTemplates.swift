extension PageTemplates {
    static let call = """
        {{> top}}
        <p class="crumbs"><a href="/deliveries">Deliveries</a> ›</p>
        <h1>Call {{id}}</h1>
        <section class="panel">
          <h2>Timeline</h2>
          <ol class="timeline">
            {{#timeline}}<li class="{{kind}}"><time>{{time}}</time> {{#link}}<a href="{{link}}">{{what}}</a>{{/link}}{{^link}}{{what}}{{/link}}</li>{{/timeline}}
          </ol>
        </section>
        <section class="panel">
          <h2>Deliveries</h2>
          {{> delivery-rows}}
        </section>
        <section class="panel">
          <h2>What is known of the call</h2>
          <dl class="facts">{{#values}}<dt>%{{name}}%</dt><dd>{{value}}</dd>{{/values}}</dl>
        </section>
        {{> bottom}}
        """

    static let webhookEdit = """
        {{> top}}
        <p class="crumbs"><a href="/webhooks">Webhooks</a> › <a href="/webhooks/{{id}}">{{name}}</a> ›</p>
        <h1>Edit webhook</h1>
        <form method="post" action="/webhooks/{{id}}/edit" class="wizard stack" id="wizard">
          <input type="hidden" name="form_token" value="{{formToken}}">
          {{#errors.general}}<p class="field-error" role="alert">{{errors.general}}</p>{{/errors.general}}
          <label for="name">Webhook Name</label>
          <input id="name" name="name" value="{{name}}" {{#errors.name}}aria-invalid="true"{{/errors.name}}>
          {{#errors.name}}<p id="name-error" class="field-error" role="alert">{{errors.name}}</p>{{/errors.name}}
          <label for="url">URL</label>
          <input id="url" name="url" value="{{url}}" aria-describedby="url-hint" {{#errors.url}}aria-invalid="true"{{/errors.url}}>
          <p id="url-hint" class="note">Moving it to another site (scheme, host or port) drops the saved sign-in and secret headers: enter them again with the new address.</p>
          {{#errors.url}}<p id="url-error" class="field-error" role="alert">{{errors.url}}</p>{{/errors.url}}
          <fieldset><legend>Send on</legend>
            <div class="checks">{{#triggers}}<label><input type="checkbox" name="trigger" value="{{value}}" {{#checked}}checked{{/checked}}> {{value}}</label>{{/triggers}}</div>
            {{#errors.trigger}}<p id="trigger-error" class="field-error" role="alert">{{errors.trigger}}</p>{{/errors.trigger}}
          </fieldset>
          <fieldset><legend>HTTP Headers</legend>
            <div id="header-rows" class="stack">
            {{#headers}}<div class="header-row"><input name="header_name" value="{{name}}" aria-label="HTTP Header"> <input name="header_value" value="{{value}}" aria-label="Value"></div>{{/headers}}
            </div>
            <button type="button" class="secondary" id="add-header" title="Add a header">+</button>
            {{#errors.headers}}<p id="headers-error" class="field-error" role="alert">{{errors.headers}}</p>{{/errors.headers}}
          </fieldset>
          <label for="success_codes">Success response codes</label>
          <input id="success_codes" name="success_codes" value="{{successCodes}}" {{#errors.success_codes}}aria-invalid="true"{{/errors.success_codes}}>
          {{#errors.success_codes}}<p id="success_codes-error" class="field-error" role="alert">{{errors.success_codes}}</p>{{/errors.success_codes}}
          <label for="method">HTTP Method</label>
          {{#presetMethod}}<p>{{presetMethod}} <span class="note">(the preset's protocol)</span></p>{{/presetMethod}}
          {{^presetMethod}}<select id="method" name="method">{{#methods}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{value}}</option>{{/methods}}</select>{{/presetMethod}}
          {{#errors.method}}<p id="method-error" class="field-error" role="alert">{{errors.method}}</p>{{/errors.method}}
          <div class="wizard-buttons"><button type="submit">Save</button> <a class="button secondary" href="/webhooks/{{id}}">Cancel</a></div>
        </form>
        {{> bottom}}
        """
}
