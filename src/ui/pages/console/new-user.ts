import type { FieldErrors } from '../../../core/errors/management-error.js';
import { csrfField, formField } from '../../form-fields.js';
import { html } from '../../html.js';
import { consolePage, errorAlert, type ConsoleFrame } from './frame.js';

export interface NewUserValues {
  email: string;
  first_name: string;
  last_name: string;
  password: string;
  is_admin: boolean;
  /** The home data centre; empty: the primary. */
  dc: string;
}

export const EMPTY_USER_FORM: NewUserValues = { email: '', first_name: '', last_name: '', password: '', is_admin: false, dc: '' };

/** Add User: the account's names and email, and a first password typed here or generated and shown once. */
export function newUserPage(page: ConsoleFrame & { values: NewUserValues; errors?: FieldErrors | undefined }): string {
  const error = (field: string) => page.errors?.forField(field)?.message;
  const fields = ['email', 'first_name', 'last_name', 'password', 'dc'];
  return consolePage(
    page,
    'Add User',
    'users',
    html`<p class="breadcrumb"><a href="/developer-console/admin/users">Users</a> / Add User</p>
      <section class="card">
        <h1>Add User</h1>
        ${errorAlert(page.errors?.errors.find((e) => !e.field || !fields.includes(e.field))?.message)}
        <form method="post" action="/developer-console/admin/users/new" novalidate>
          ${csrfField(page.csrf)}
          ${formField({ name: 'email', label: 'Email', value: page.values.email, error: error('email'), autofocus: true })}
          ${formField({ name: 'first_name', label: 'First name', value: page.values.first_name, error: error('first_name') })}
          ${formField({ name: 'last_name', label: 'Last name', value: page.values.last_name, error: error('last_name') })}
          ${formField({
            name: 'password',
            label: 'First password',
            value: page.values.password,
            error: error('password'),
            hint: 'Leave empty to generate one, shown once. Either way the user chooses their own at first sign-in.',
          })}
          ${homeDataCenterField(page.dataCenters, page.values.dc, error('dc'))}
          <div class="field">
            <label><input type="checkbox" name="is_admin" value="yes" ${page.values.is_admin ? html`checked` : ''} /> Administrator</label>
          </div>
          <div class="actions">
            <a class="button secondary" href="/developer-console/admin/users">Cancel</a>
            <button class="button primary" type="submit">Create</button>
          </div>
        </form>
      </section>`,
  );
}

/** The user's home data centre (spec §9), when the deployment has more than one; the primary comes first. */
function homeDataCenterField(dataCenters: readonly string[], chosen: string, error: string | undefined) {
  if (dataCenters.length < 2) return '';
  const options = dataCenters.map((dc) => ({ value: dc, label: dc }));
  return formField({ name: 'dc', label: 'Data centre', value: chosen, error, options });
}
