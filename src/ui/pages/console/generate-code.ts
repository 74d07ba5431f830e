import type { ManagedClient } from '../../../core/console/developer-console.js';
import { SELF_CLIENT_CODE_MINUTES } from '../../../core/config/config.js';
import type { ManagementError } from '../../../core/errors/management-error.js';
import { formatTime } from '../../format.js';
import { copyableValue, csrfField, formField } from '../../form-fields.js';
import { html } from '../../html.js';
import { clientPage } from './client-shell.js';
import { clientPath, errorAlert, type ConsoleFrame } from './frame.js';

export interface GenerateCodePage extends ConsoleFrame {
  client: ManagedClient;
  /** Every known scope, offered as suggestions and listed with what it allows. */
  scopes: Array<{ name: string; description: string }>;
  values: { scope: string; duration: string; description: string };
  error?: ManagementError | undefined;
  generated?: { code: string; scope: string; expiresAt: number } | undefined;
}

/** The Self Client's Generate Code tab (spec §4): scopes, a duration of 3 to 10 minutes, a description. */
export function generateCodePage(page: GenerateCodePage): string {
  const { client, error } = page;
  const fieldError = (field: string) => (error?.field === field ? error.message : undefined);
  return clientPage(
    page,
    client,
    'generate-code',
    'Generate Code',
    html`${
        page.generated
          ? html`<section class="card generated" role="status" data-location="${clientPath(page.client.clientId)}/generate-code">
              <h2>Code generated</h2>
              ${copyableValue('Code', page.generated.code, 'grant-code')}
              <p>
                For <code>${page.generated.scope}</code>. It works once, until
                <time datetime="${new Date(page.generated.expiresAt).toISOString()}">${formatTime(page.generated.expiresAt)}</time>: send it
                to <code>/oauth/v2/token</code> with <code>grant_type=authorization_code</code> and this client's ID and secret.
              </p>
            </section>`
          : ''
      }
      <section class="card">
        <h2>Generate Code</h2>
        ${errorAlert(error && !error.field ? error.message : undefined)}
        <form method="post" action="${clientPath(client.clientId)}/generate-code" novalidate>
          ${csrfField(page.csrf)}
          ${formField({
            name: 'scope',
            label: 'Scope',
            value: page.values.scope,
            error: fieldError('scope'),
            hint: 'Comma separated, such as ZohoCRM.modules.leads.READ,ZohoCRM.users.READ',
            list: 'scope-names',
            autofocus: true,
          })}
          <datalist id="scope-names">${page.scopes.map((s) => html`<option value="${s.name}">${s.description}</option>`)}</datalist>
          ${formField({
            name: 'duration',
            label: 'Time duration',
            value: page.values.duration,
            error: fieldError('duration'),
            options: SELF_CLIENT_CODE_MINUTES.map((m) => ({ value: String(m), label: `${m} minutes` })),
          })}
          ${formField({ name: 'description', label: 'Description', value: page.values.description, error: fieldError('description') })}
          <div class="actions"><button class="button primary" type="submit">Create</button></div>
        </form>
        <details class="scope-catalogue">
          <summary>Available scopes</summary>
          <ul class="scopes">
            ${page.scopes.map((s) => html`<li>${s.description}<span class="scope-name">${s.name}</span></li>`)}
          </ul>
        </details>
      </section>`,
  );
}
