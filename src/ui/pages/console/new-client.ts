import type { ClientType } from '../../../core/clients/client.js';
import type { FieldErrors } from '../../../core/errors/management-error.js';
import { csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { clientForm, problemBesideFields, type ClientFormValues } from './client-form.js';
import { CLIENT_TYPE_INFO, consolePage, errorAlert, type ConsoleFrame } from './frame.js';

export interface NewClientPage extends ConsoleFrame {
  type: ClientType;
  values: ClientFormValues;
  errors?: FieldErrors | undefined;
}

/** Add Client, step two: the chosen type's form. A Self Client has no fields: creating it is one confirmed click. */
export function newClientPage(page: NewClientPage): string {
  const info = CLIENT_TYPE_INFO[page.type];
  const action = `/developer-console/new/${page.type}`;
  return consolePage(
    page,
    `New ${info.title}`,
    'clients',
    html`<p class="breadcrumb"><a href="/developer-console/new">Add Client</a> / ${info.title}</p>
      <section class="card">
        <h1>${info.title}</h1>
        <p class="lede">${info.blurb}</p>
        ${errorAlert(problemBesideFields(page.type, page.errors))}
        ${
          page.type === 'self'
            ? html`<p>
                  A Self Client belongs to you alone. You generate its codes here, for the scopes you choose, and exchange them at the token
                  endpoint with its client ID and secret. You can have one.
                </p>
                <form method="post" action="${action}" data-confirm="Enable a Self Client for your account?">
                  ${csrfField(page.csrf)}
                  <div class="actions">
                    <a class="button secondary" href="/developer-console/new">Cancel</a>
                    <button class="button primary" type="submit">Create</button>
                  </div>
                </form>`
            : clientForm({
                type: page.type,
                action,
                csrf: page.csrf,
                values: page.values,
                errors: page.errors,
                submitLabel: 'Create',
                cancelHref: '/developer-console/new',
              })
        }
      </section>`,
  );
}
