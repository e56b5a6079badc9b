extension PageTemplates {
    static let deliveryRows = """
        {{^deliveries}}<p class="empty">No deliveries{{#filtered}} match these filters{{/filtered}}.</p>{{/deliveries}}
        <table class="list deliveries">
          <thead><tr><th>Created</th><th>Event</th><th>Call or lead</th><th>Webhook</th><th>Status</th><th>Attempts</th><th>Last answer</th></tr></thead>
          <tbody>
          {{#deliveries}}
          <tr>
            <td><a href="/deliveries/{{id}}">{{createdAt}}</a></td>
            <td>{{eventKind}}{{#sourceName}}<br><span class="note">via {{sourceName}}</span>{{/sourceName}}</td>
            <td>{{#callLink}}<a href="/calls/{{subjectID}}">{{subjectID}}</a>{{/callLink}}{{^callLink}}<a href="/deliveries?subject_id={{subjectID}}">{{subjectID}}</a>{{/callLink}}</td>
            <td><a href="/webhooks/{{webhookID}}">{{webhookName}}</a></td>
            <td><span class="badge {{status}}">{{status}}</span></td>
            <td>{{attemptCount}}</td>
            <td>{{lastAnswer}}</td>
          </tr>
          {{/deliveries}}
          </tbody>
        </table>
        """

    static let deliveries = """
        {{> top}}
        <h1>Deliveries</h1>
        <form method="get" action="/deliveries" class="filters">
          <label>Webhook
            <select name="webhook_id">
              <option value="">All webhooks</option>
              {{#webhookOptions}}<option value="{{id}}" {{#selected}}selected{{/selected}}>{{name}}</option>{{/webhookOptions}}
            </select>
          </label>
          <label>Status
            <select name="status">
              <option value="">Any status</option>
              {{#statusOptions}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{value}}</option>{{/statusOptions}}
            </select>
          </label>
          <label>Call or lead id <input name="subject_id" value="{{subjectID}}"></label>
          <button type="submit">Filter</button>
        </form>
        {{> delivery-rows}}
        {{#nextPage}}<p><a class="button secondary" href="{{nextPage}}" rel="next">Older deliveries</a></p>{{/nextPage}}
        {{> bottom}}
        """

    /// One attempt: the request as sent and the answer.
    static let attempt = """
        <article class="attempt panel">
          <h3>Attempt {{number}} · {{startedAt}} · {{duration}} ms
            {{#status}}· <span class="badge {{outcome}}">{{status}}</span>{{/status}}{{#error}} · <span class="badge failed">{{errorKind}}</span>{{/error}}</h3>
          {{#error}}<p class="error">{{error}}</p>{{/error}}
          <div class="exchange">
            <section>
              <h4>Request</h4>
              <pre class="code">{{request.method}} {{request.url}}
        {{#request.headers}}{{name}}: {{value}}
        {{/request.headers}}</pre>
              <pre class="code body">{{request.body}}</pre>
            </section>
            <section>
              <h4>Answer</h4>
              {{#response}}
              <pre class="code">{{status}}
        {{#headers}}{{name}}: {{value}}
        {{/headers}}</pre>
              <pre class="code body">{{body}}</pre>
              {{#bodyTruncated}}<p class="note">The body was cut at 64 KiB.</p>{{/bodyTruncated}}
              {{/response}}
              {{^response}}<p class="empty">No answer.</p>{{/response}}
            </section>
          </div>
        </article>
        """

    static let delivery = """
        {{> top}}
        {{#delivery}}
        <p class="crumbs"><a href="/deliveries">Deliveries</a> ›</p>
        <h1>Delivery {{id}}</h1>
        <dl class="facts">
          <dt>Status</dt><dd><span class="badge {{status}}">{{status}}</span>{{#nextAttemptAt}} · next attempt {{nextAttemptAt}}{{/nextAttemptAt}}</dd>
          <dt>Event</dt><dd>{{eventKind}} of {{#callLink}}<a href="/calls/{{subjectID}}">{{subjectID}}</a>{{/callLink}}{{^callLink}}<a href="/deliveries?subject_id={{subjectID}}">{{subjectID}}</a>{{/callLink}}{{#sourceName}}, reported by source {{sourceName}}{{/sourceName}}</dd>
          <dt>Webhook</dt><dd><a href="/webhooks/{{webhookID}}">{{webhookName}}</a></dd>
          <dt>Created</dt><dd>{{createdAt}}</dd>
        </dl>
        <form method="post" action="/deliveries/{{id}}/replay">
          <input type="hidden" name="form_token" value="{{formToken}}">
          <button type="submit">Replay</button>
        </form>
        {{/delivery}}
        <h2>Attempts</h2>
        {{^attempts}}<p class="empty">No attempt yet.</p>{{/attempts}}
        {{#attempts}}{{> attempt}}{{/attempts}}
        {{> bottom}}
        """
}
