extension PageTemplates {
    static let users = """
        {{> top}}
        <h1>Users</h1>
        <table class="list">
          <thead><tr><th>Email</th><th>Role</th><th>Since</th><th></th></tr></thead>
          <tbody>
          {{#users}}
          <tr>
            <td>{{email}}</td><td>{{role}}</td><td>{{createdAt}}</td>
            <td>{{^isSelf}}<form method="post" action="/users/{{id}}/delete" class="inline">
              <input type="hidden" name="form_token" value="{{formToken}}">
              <button type="submit" class="link danger">Remove</button></form>{{/isSelf}}</td>
          </tr>
          {{/users}}
          </tbody>
        </table>
        <section class="panel narrow">
        <h2>Add a user</h2>
        <form method="post" action="/users" class="stack" novalidate>
          <input type="hidden" name="form_token" value="{{formToken}}">
          <label for="new-email">Email</label>
          <input id="new-email" name="email" type="email" value="{{form.email}}" {{#errors.email}}aria-invalid="true" aria-describedby="email-error"{{/errors.email}}>
          {{#errors.email}}<p id="email-error" class="field-error" role="alert">{{errors.email}}</p>{{/errors.email}}
          <label for="new-password">Password</label>
          <input id="new-password" name="password" type="password" autocomplete="new-password" {{#errors.password}}aria-invalid="true" aria-describedby="password-error"{{/errors.password}}>
          {{#errors.password}}<p id="password-error" class="field-error" role="alert">{{errors.password}}</p>{{/errors.password}}
          <label for="new-role">Role</label>
          <select id="new-role" name="role">
            <option value="member" {{#form.member}}selected{{/form.member}}>member: everything but users</option>
            <option value="admin" {{#form.admin}}selected{{/form.admin}}>admin: also manages users</option>
          </select>
          {{#errors.role}}<p class="field-error" role="alert">{{errors.role}}</p>{{/errors.role}}
          <button type="submit">Add user</button>
        </form>
        </section>
        {{> bottom}}
        """
}
