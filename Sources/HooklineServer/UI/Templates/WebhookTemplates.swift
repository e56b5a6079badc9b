extension PageTemplates {
    static let webhooks = """
        {{> top}}
        <div class="title-row"><h1>Webhooks</h1><a class="button" href="/webhooks/new">Add Webhook</a></div>
        {{#empty}}<p class="empty">No webhooks yet.</p>{{/empty}}
        {{#table}}{{> webhook-table}}{{/table}}
        {{> bottom}}
        """

    static let webhook = """
        {{> top}}
        {{#webhook}}
        <p class="crumbs"><a href="/webhooks">Webhooks</a> ›</p>
        <div class="title-row"><h1>{{name}}</h1><a class="button secondary" href="/webhooks/{{id}}/edit">Edit</a></div>
        <dl class="facts">
          <dt>URL</dt><dd class="url">{{method}} {{url}}</dd>
          <dt>Template</dt><dd>{{template}}</dd>
          <dt>Triggers</dt><dd>{{triggers}}</dd>
          <dt>Success codes</dt><dd>{{successCodes}}</dd>
          <dt>Sent for</dt><dd id="scope">{{#everyCall}}every call and lead of the account{{/everyCall}}{{^everyCall}}{{^placements}}nothing: it is enabled on no campaign, location or treatment option{{/placements}}
            <ul class="placements">{{#placements}}<li><a href="{{link}}">{{place}}</a> · {{moment}}{{#paused}} <span class="badge off">not sent: the triggers leave this moment out</span>{{/paused}}</li>{{/placements}}</ul>{{/everyCall}}</dd>
          <dt>State</dt><dd>{{#enabled}}enabled{{/enabled}}{{^enabled}}<span class="badge off">disabled</span> {{disabledReason}}{{/enabled}}</dd>
        </dl>
        <section class="panel" aria-labelledby="health">
          <h2 id="health">Health</h2>
          <p><span class="badge {{health.state}}">{{health.state}}</span>
          {{#health.failingSince}} since {{health.failingSince}}{{/health.failingSince}}
          {{#health.consecutiveFailures}} · {{health.consecutiveFailures}} failures in a row{{/health.consecutiveFailures}}</p>
          {{#health.lastError}}<p>Last error: <code>{{health.lastError}}</code></p>{{/health.lastError}}
          {{#health.nextProbeAt}}<p>Next probe: {{health.nextProbeAt}}</p>{{/health.nextProbeAt}}
        </section>
        <section class="panel actions">
          <form method="post" action="/webhooks/{{id}}/enabled">
            <input type="hidden" name="form_token" value="{{formToken}}">
            {{#enabled}}<input type="hidden" name="enabled" value="false"><button type="submit" class="secondary">Disable</button>{{/enabled}}
            {{^enabled}}<input type="hidden" name="enabled" value="true"><button type="submit">Enable</button>{{/enabled}}
          </form>
          <form method="post" action="/webhooks/{{id}}/rotate-secret">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <button type="submit" class="secondary">Rotate secret</button>
          </form>
        </section>
        {{#newSecret}}<p class="secret" role="status">New signing secret (shown once): <code>{{newSecret}}</code></p>{{/newSecret}}
        <section class="panel" aria-labelledby="activity">
          <h2 id="activity">Last 24 hours</h2>
          <p>{{taken}} attempts taken, {{failedAttempts}} failed. <span class="legend"><span class="swatch ok"></span> taken <span class="swatch failed"></span> failed <span class="swatch p50"></span> p50 <span class="swatch p99"></span> p99 duration</span></p>
          {{{chart}}}
        </section>
        <section class="panel" aria-labelledby="preview">
          <h2 id="preview">Template and live preview</h2>
          <pre class="code">{{templateBody}}</pre>
          <form method="get" action="/webhooks/{{id}}" class="filters">
            <label>Event <select name="kind">{{#kinds}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{value}}</option>{{/kinds}}</select></label>
            <label>Call or lead id <input name="subject" value="{{subject}}" placeholder="empty: the catalogue's examples"></label>
            <button type="submit" class="secondary">Preview</button>
          </form>
          {{#previewError}}<p class="field-error" role="alert" id="preview-error">{{previewError}}</p>{{/previewError}}
          {{#preview}}
          <p class="note">{{kind}} rendered with {{from}}:</p>
          <pre class="code" id="preview-request">{{request}}
        {{#headers}}{{name}}: {{value}}
        {{/headers}}</pre>
          <pre class="code body" id="preview-body">{{body}}</pre>
          {{/preview}}
          <form method="post" action="/webhooks/{{id}}/test">
            <input type="hidden" name="form_token" value="{{formToken}}">
            <input type="hidden" name="kind" value="{{#kinds}}{{#selected}}{{value}}{{/selected}}{{/kinds}}">
            <input type="hidden" name="subject" value="{{subject}}">
            <button type="submit">Send test</button> <span class="note">Sends this request now and shows the answer; no delivery is made.</span>
          </form>
          {{#sent}}<h3 id="test-result">Test sent</h3>{{> attempt}}{{/sent}}
        </section>
        <section class="panel">
          <h2>Latest deliveries</h2>
          {{> delivery-rows}}
          <p><a href="/deliveries?webhook_id={{id}}">All deliveries of this webhook</a></p>
        </section>
        {{/webhook}}
        {{> bottom}}
        """
}
