extension PageTemplates {
    static let wizard = """
        {{> top}}
        <p class="crumbs"><a href="/webhooks">Webhooks</a> ›</p>
        <h1>Add Webhook</h1>
        <ol class="steps">{{#progress}}<li {{#current}}aria-current="step"{{/current}}>{{number}}. {{name}}</li>{{/progress}}</ol>
        <form method="post" action="/webhooks/new" class="wizard stack" id="wizard">
          <input type="hidden" name="form_token" value="{{formToken}}">
          <input type="hidden" name="step" value="{{step}}">
          <input type="hidden" name="location" value="{{location}}">
          {{#hidden}}<input type="hidden" name="{{name}}" value="{{value}}">{{/hidden}}

          {{#step_start}}
          {{#location}}<p class="note">The webhook is for location <code>{{location}}</code> only.</p>{{/location}}
          {{#errors.location}}<p class="field-error" role="alert">{{errors.location}}</p>{{/errors.location}}
          <fieldset class="modes">
            <legend>How</legend>
            <label><input type="radio" name="mode" value="existing" {{#existing}}checked{{/existing}}> Existing Templates: a template that is already made</label>
            <label><input type="radio" name="mode" value="create" {{#create}}checked{{/create}}> Create Template: a new template along with the webhook</label>
          </fieldset>
          <label for="name">Webhook Name</label>
          <input id="name" name="name" value="{{name}}" {{#errors.name}}aria-invalid="true" aria-describedby="name-error"{{/errors.name}}>
          {{#errors.name}}<p id="name-error" class="field-error" role="alert">{{errors.name}}</p>{{/errors.name}}
          <label for="url">URL</label>
          <input id="url" name="url" value="{{url}}" placeholder="https://crm.example.com/hooks/calls" {{#errors.url}}aria-invalid="true" aria-describedby="url-error"{{/errors.url}}>
          {{#errors.url}}<p id="url-error" class="field-error" role="alert">{{errors.url}}</p>{{/errors.url}}
          <fieldset>
            <legend>Send on</legend>
            <div class="checks">{{#triggers}}<label><input type="checkbox" name="trigger" value="{{value}}" {{#checked}}checked{{/checked}}> {{value}}</label>{{/triggers}}</div>
            {{#errors.trigger}}<p id="trigger-error" class="field-error" role="alert">{{errors.trigger}}</p>{{/errors.trigger}}
          </fieldset>
          <div class="mode-existing">
            <label for="template">Template</label>
            <select id="template" name="template" {{#errors.template}}aria-invalid="true" aria-describedby="template-error"{{/errors.template}}>
              <option value="">Choose…</option>
              {{#templateGroups}}<optgroup label="{{group}}">{{#templates}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{name}} ({{format}})</option>{{/templates}}</optgroup>{{/templateGroups}}
              <optgroup label="Built-in presets">{{#presets}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{name}}: {{summary}}</option>{{/presets}}</optgroup>
            </select>
            {{#errors.template}}<p id="template-error" class="field-error" role="alert">{{errors.template}}</p>{{/errors.template}}
          </div>
          <div class="mode-create stack">
            <label for="template_name">Template Name</label>
            <input id="template_name" name="template_name" value="{{templateName}}" {{#errors.template_name}}aria-invalid="true"{{/errors.template_name}}>
            {{#errors.template_name}}<p id="template_name-error" class="field-error" role="alert">{{errors.template_name}}</p>{{/errors.template_name}}
            <label for="template_group">Template Group <span class="note">(who else can use it)</span></label>
            <input id="template_group" name="template_group" value="{{templateGroup}}" list="groups">
            <datalist id="groups">{{#knownGroups}}<option value="{{.}}">{{/knownGroups}}</datalist>
            {{#errors.template_group}}<p class="field-error" role="alert">{{errors.template_group}}</p>{{/errors.template_group}}
            <label for="template_type">Template Type</label>
            <select id="template_type" name="template_type">{{#types}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/types}}</select>
            {{#errors.template_type}}<p class="field-error" role="alert">{{errors.template_type}}</p>{{/errors.template_type}}
            <label for="template_example">Template Format <span class="note">(an example of what your CRM wants: its fields are extracted next; for form and query, write the body with %tokens%)</span></label>
            <textarea id="template_example" name="template_example" rows="10" spellcheck="false" {{#errors.template_example}}aria-invalid="true" aria-describedby="template_example-error"{{/errors.template_example}}>{{templateExample}}</textarea>
            {{#errors.template_example}}<p id="template_example-error" class="field-error" role="alert">{{errors.template_example}}</p>{{/errors.template_example}}
          </div>
          {{/step_start}}

          {{#step_options}}
          <h2>Options of {{presetName}}</h2>
          {{#options}}
          {{#boolean}}<label><input type="hidden" name="{{field}}" value="false"><input type="checkbox" name="{{field}}" value="true" {{#checked}}checked{{/checked}}> {{name}}</label>{{/boolean}}
          {{^boolean}}<label for="{{field}}">{{name}}{{#required}} <span class="note">(required)</span>{{/required}}</label>
          <input id="{{field}}" name="{{field}}" value="{{value}}" {{#secret}}type="password" autocomplete="off"{{/secret}} {{#error}}aria-invalid="true"{{/error}}>{{/boolean}}
          <p class="note">{{description}}</p>
          {{#error}}<p class="field-error" role="alert">{{error}}</p>{{/error}}
          {{/options}}
          {{/step_options}}

          {{#step_fields}}
          <h2>Fields</h2>
          <p>Pick the data point that goes into each field of your template when the webhook is sent. A field left on "keep" sends the example's value.</p>
          <table class="list mapping">
            <thead><tr><th>Field</th><th>Example value</th><th>Data point</th></tr></thead>
            <tbody>
            {{#fields}}
            <tr>
              <td><code>{{path}}</code></td><td>{{sample}}</td>
              <td><select name="{{input}}" aria-label="Data point for {{path}}" {{#error}}aria-invalid="true"{{/error}}>
                <option value="">keep the example's value</option>
                {{#categories}}<optgroup label="{{category}}">{{#tokens}}<option value="{{name}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/tokens}}</optgroup>{{/categories}}
              </select>
              {{#error}}<p class="field-error" role="alert">{{error}}</p>{{/error}}</td>
            </tr>
            {{/fields}}
            </tbody>
          </table>
          {{/step_fields}}

          {{#step_advanced}}
          <h2>Advanced settings</h2>
          <fieldset>
            <legend>HTTP Headers</legend>
            <div id="header-rows" class="stack">
            {{#headers}}<div class="header-row"><input name="header_name" value="{{name}}" placeholder="Content-Type" aria-label="HTTP Header"> <input name="header_value" value="{{value}}" placeholder="application/json" aria-label="Value"></div>{{/headers}}
            </div>
            <button type="submit" name="action" value="add_header" class="secondary" id="add-header" title="Add a header">+</button>
            {{#errors.headers}}<p id="headers-error" class="field-error" role="alert">{{errors.headers}}</p>{{/errors.headers}}
          </fieldset>
          <label for="success_code">Success response code</label>
          <select id="success_code" name="success_code">{{#successChoices}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{label}}</option>{{/successChoices}}</select>
          <input id="success_other" name="success_other" value="{{successOther}}" placeholder="other codes, e.g. 200, 202" aria-label="Other success codes">
          {{#errors.success_code}}<p id="success_code-error" class="field-error" role="alert">{{errors.success_code}}</p>{{/errors.success_code}}
          <label for="method">HTTP Method</label>
          {{#presetMethod}}<p>{{presetMethod}} <span class="note">(the preset's protocol)</span></p><input type="hidden" name="method" value="{{presetMethod}}">{{/presetMethod}}
          {{^presetMethod}}<select id="method" name="method">{{#methods}}<option value="{{value}}" {{#selected}}selected{{/selected}}>{{value}}</option>{{/methods}}</select>
          <p class="note">GET sends the query template type only.</p>{{/presetMethod}}
          {{#errors.method}}<p id="method-error" class="field-error" role="alert">{{errors.method}}</p>{{/errors.method}}
          {{/step_advanced}}

          {{#step_summary}}
          <h2>Summary</h2>
          <dl class="facts summary">{{#summary}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/summary}}</dl>
          {{#summaryErrors}}<p class="field-error" role="alert">{{.}}</p>{{/summaryErrors}}
          {{/step_summary}}

          <div class="wizard-buttons">
            {{#canGoBack}}<button type="submit" name="action" value="back" class="secondary" formnovalidate>Back</button>{{/canGoBack}}
            {{#step_summary}}<button type="submit" name="action" value="finish">Finish</button>{{/step_summary}}
            {{^step_summary}}<button type="submit" name="action" value="next">Next</button>{{/step_summary}}
          </div>
        </form>
        {{> bottom}}
        """
}
