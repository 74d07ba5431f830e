import { registeredAuthMethod, type Client } from '../../../core/clients/client.js';
import type { ManagedClient } from '../../../core/console/developer-console.js';
import type { FieldErrors } from '../../../core/errors/management-error.js';
import { formatTime } from '../../format.js';
import { csrfField } from '../../form-fields.js';
import { html } from '../../html.js';
import { clientForm, problemBesideFields, type ClientFormValues } from './client-form.js';
import { clientPage } from './client-shell.js';
import { clientPath, errorAlert, notice, type ConsoleFrame } from './frame.js';

export interface ClientDetailsPage extends ConsoleFrame {
  client: ManagedClient;
  values: ClientFormValues;
  errors?: FieldErrors | undefined;
  notice?: string | undefined;
}

export function formValuesOf(client: Client): ClientFormValues {
  return {
    name: client.name,
    homepage: client.homepage ?? '',
    redirect_uris: client.redirectUris.join('\n'),
    js_domains: client.jsDomains.join('\n'),
    post_logout_redirect_uris: client.postLogoutRedirectUris.join('\n'),
    backchannel_logout_uri: client.backchannelLogoutUri ?? '',
    backchannel_logout_session_required: client.backchannelLogoutSessionRequired ? 'yes' : 'no',
    dpop_bound_access_tokens: client.dpopBoundAccessTokens,
    token_endpoint_auth_method: registeredAuthMethod(client),
    jwks: client.jwks ? JSON.stringify(client.jwks, null, 2) : '',
    jwks_uri: client.jwksUri ?? '',
    require_signed_request_object: client.requireSignedRequestObject ? 'yes' : 'no',
    jwt_access_tokens: client.accessTokenFormat === 'jwt',
    id_token_signed_response_alg: client.idTokenSignedResponseAlg,
    userinfo_signed_response_alg: client.userinfoSignedResponseAlg ?? '',
    require_pushed_authorization_requests: client.requirePushedAuthorizationRequests,
  };
}

/** Client Details: edit what the type allows (a Self Client has nothing to edit), and delete the client. */
export function clientDetailsPage(page: ClientDetailsPage): string {
  const { client } = page;
  const base = clientPath(client.clientId);
  return clientPage(
    page,
    client,
    'details',
    'Client Details',
    html`${notice(page.notice)}
      <section class="card">
        <h2>Details</h2>
        <p class="meta">
          Created ${formatTime(client.createdAt)}${client.updatedAt !== client.createdAt ? `, changed ${formatTime(client.updatedAt)}` : ''}
        </p>
        ${
          client.type === 'self'
            ? html`<p>A Self Client has no name, homepage or redirect URIs to edit. Use Generate Code to get a grant code.</p>`
            : html`${errorAlert(problemBesideFields(client.type, page.errors))}
              ${clientForm({
                type: client.type,
                action: base,
                csrf: page.csrf,
                values: page.values,
                errors: page.errors,
                submitLabel: 'Save changes',
                cancelHref: base,
              })}`
        }
      </section>
      <section class="card danger-zone">
        <h2>Delete this client</h2>
        <p>Every token it holds stops working at once, and every user's consent to it is forgotten. This cannot be undone.</p>
        <form method="post" action="${base}/delete" data-confirm="Delete ${client.name}? Every token it holds stops working.">
          ${csrfField(page.csrf)}
          <div class="actions"><button class="button danger" type="submit">Delete client</button></div>
        </form>
      </section>`,
  );
}
