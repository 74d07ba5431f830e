import type { ClientType } from '../../../core/clients/client.js';
import type { FieldErrors } from '../../../core/errors/management-error.js';
import { SIGNING_ALGORITHMS } from '../../../core/oidc/signing-algorithms.js';
import { csrfField, formField } from '../../form-fields.js';
import { html, type SafeHtml } from '../../html.js';

/** The form's values as the user typed them; lists are one entry per line. */
export interface ClientFormValues {
  name: string;
  homepage: string;
  redirect_uris: string;
  js_domains: string;
  post_logout_redirect_uris: string;
  backchannel_logout_uri: string;
  /** `yes` or `no`, as the select sends it. */
  backchannel_logout_session_required: string;
  /** RFC 9449 §5.2: the client must send a DPoP proof with every token request. */
  dpop_bound_access_tokens: boolean;
  /** RFC 7591 §2: how the client authenticates; a select. */
  token_endpoint_auth_method: string;
  /** The client's public keys, a JWK Set as JSON text. */
  jwks: string;
  jwks_uri: string;
  /** RFC 9101 §10.5, `yes` or `no`. */
  require_signed_request_object: string;
  /** RFC 9068: the client's access tokens are JWTs. */
  jwt_access_tokens: boolean;
  /** RS256, ES256 or EdDSA. */
  id_token_signed_response_alg: string;
  /** One of them, or empty: plain JSON userinfo. */
  userinfo_signed_response_alg: string;
  /** RFC 9126 §6: authorization requests only through the pushed authorization request endpoint. */
  require_pushed_authorization_requests: boolean;
}

export const EMPTY_CLIENT_FORM: ClientFormValues = {
  name: '',
  homepage: '',
  redirect_uris: '',
  js_domains: '',
  post_logout_redirect_uris: '',
  backchannel_logout_uri: '',
  backchannel_logout_session_required: 'no',
  dpop_bound_access_tokens: false,
  token_endpoint_auth_method: 'client_secret_basic',
  jwks: '',
  jwks_uri: '',
  require_signed_request_object: 'no',
  jwt_access_tokens: false,
  id_token_signed_response_alg: 'RS256',
  userinfo_signed_response_alg: '',
  require_pushed_authorization_requests: false,
};

type TextField = Exclude<
  keyof ClientFormValues,
  'dpop_bound_access_tokens' | 'jwt_access_tokens' | 'require_pushed_authorization_requests'
>;

/** OpenID Connect logout, optional, for the types a browser comes back to. */
const LOGOUT_FIELDS = ['post_logout_redirect_uris', 'backchannel_logout_uri', 'backchannel_logout_session_required'] as const;

/** How the client authenticates, and its public keys (for private_key_jwt and signed request objects). */
const KEY_FIELDS = ['token_endpoint_auth_method', 'jwks', 'jwks_uri'] as const;

/** How the client's id_tokens and userinfo are signed (OpenID Connect Dynamic Client Registration §2). */
const SIGNING_FIELDS = ['id_token_signed_response_alg', 'userinfo_signed_response_alg'] as const;

/**
 * Which fields each type's form shows: what its registration asks for (spec §1.1), then the optional logout ones, the
 * keys and the signing algorithms. A client-based app has no secret (its method is always none), but may sign its
 * authorization requests.
 */
const FORM_FIELDS: Record<ClientType, readonly TextField[]> = {
  server: ['name', 'homepage', 'redirect_uris', ...LOGOUT_FIELDS, ...KEY_FIELDS, 'require_signed_request_object', ...SIGNING_FIELDS],
  client: [
    'name',
    'homepage',
    'redirect_uris',
    'js_domains',
    ...LOGOUT_FIELDS,
    'jwks',
    'jwks_uri',
    'require_signed_request_object',
    ...SIGNING_FIELDS,
  ],
  mobile: ['name', 'homepage', 'redirect_uris', ...LOGOUT_FIELDS, ...KEY_FIELDS, 'require_signed_request_object', ...SIGNING_FIELDS],
  device: ['name', 'homepage', ...KEY_FIELDS, ...SIGNING_FIELDS],
  self: [],
};

const AUTH_METHODS = [
  { value: 'client_secret_basic', label: 'Client secret (Basic header or form; the default)' },
  { value: 'client_secret_post', label: 'Client secret in the form (client_secret_post)' },
  { value: 'client_secret_jwt', label: 'JWT signed with the client secret (client_secret_jwt; needs a new secret)' },
  { value: 'private_key_jwt', label: 'JWT signed with the app’s private key (private_key_jwt; needs its keys)' },
];

const SIGNED_REQUESTS = [
  { value: 'no', label: 'No: plain authorization requests are accepted' },
  { value: 'yes', label: 'Yes: only signed request objects (RFC 9101)' },
];

const YES_NO = [
  { value: 'no', label: 'No: sub alone may end every session of the user' },
  { value: 'yes', label: 'Yes: every logout token carries sid' },
];

const ALGORITHM_OPTIONS = SIGNING_ALGORITHMS.map((alg) => ({ value: alg, label: alg }));
const SELECT_OPTIONS: Partial<Record<TextField, ReadonlyArray<{ value: string; label: string }>>> = {
  backchannel_logout_session_required: YES_NO,
  token_endpoint_auth_method: AUTH_METHODS,
  require_signed_request_object: SIGNED_REQUESTS,
  id_token_signed_response_alg: ALGORITHM_OPTIONS,
  userinfo_signed_response_alg: [{ value: '', label: 'Not signed: plain JSON' }, ...ALGORITHM_OPTIONS],
};

const FIELD_TEXT: Record<TextField, { label: string; hint?: (type: ClientType) => string }> = {
  name: { label: 'Client name', hint: () => 'Letters, digits, spaces, _ and &. Users see it on the consent page.' },
  homepage: { label: 'Homepage URL' },
  redirect_uris: {
    label: 'Authorized redirect URIs',
    hint: (type) =>
      type === 'mobile'
        ? 'One per line. Matched exactly; a custom scheme such as com.example.app:/callback is allowed.'
        : 'One per line, starting with https:// (or http:// for local development). Matched exactly.',
  },
  js_domains: { label: 'JavaScript domains', hint: () => 'One origin per line, such as https://app.example.com.' },
  post_logout_redirect_uris: {
    label: 'Post-logout redirect URIs (optional)',
    hint: () => 'One per line, the same rules as redirect URIs. Where the logout endpoint may send the browser back to.',
  },
  backchannel_logout_uri: {
    label: 'Back-channel logout URI (optional)',
    hint: () => 'Gatehouse POSTs a logout token here when a user signs out. https:// (http:// only for localhost).',
  },
  backchannel_logout_session_required: { label: 'Back-channel logout needs the session (sid)' },
  token_endpoint_auth_method: {
    label: 'Client authentication',
    hint: () => 'How the app proves itself at the token endpoint. Switching to client_secret_jwt needs a new secret afterwards.',
  },
  jwks: {
    label: 'Public keys (JWK Set, optional)',
    hint: () => 'JSON: {"keys":[…]}, public keys only. For private_key_jwt and signed request objects. Or give a JWKS URL.',
  },
  jwks_uri: { label: 'JWKS URL (optional)', hint: () => 'Where the app publishes its public keys: https:// (http:// only for localhost).' },
  require_signed_request_object: { label: 'Require signed authorization requests' },
  id_token_signed_response_alg: {
    label: 'id_token signing algorithm',
    hint: () => 'What signs its id_tokens and logout tokens. RS256 unless the app asks for ES256 or EdDSA.',
  },
  userinfo_signed_response_alg: {
    label: 'Userinfo signing algorithm',
    hint: () => 'Signed: /oauth/v2/userinfo answers this app with a JWT (application/jwt) instead of JSON.',
  },
};

/** A problem that belongs to no field this type's form shows (a second Self Client, say): said above the form. */
export function problemBesideFields(type: ClientType, errors: FieldErrors | undefined): string | undefined {
  const shown: readonly string[] = FORM_FIELDS[type];
  return errors?.errors.find((e) => !e.field || !shown.includes(e.field))?.message;
}

/** The registration form for one type, or the edit form of an existing client; errors sit next to their fields. */
export function clientForm(form: {
  type: ClientType;
  action: string;
  csrf: string;
  values: ClientFormValues;
  errors?: FieldErrors | undefined;
  submitLabel: string;
  cancelHref: string;
}): SafeHtml {
  return html`<form method="post" action="${form.action}" novalidate class="client-form">
    ${csrfField(form.csrf)}
    ${FORM_FIELDS[form.type].map((name, i) =>
      formField({
        name,
        label: FIELD_TEXT[name].label,
        value: form.values[name],
        error: form.errors?.forField(name)?.message,
        hint: FIELD_TEXT[name].hint?.(form.type),
        multiline: name === 'redirect_uris' || name === 'js_domains' || name === 'post_logout_redirect_uris' || name === 'jwks',
        type: name === 'homepage' || name === 'backchannel_logout_uri' || name === 'jwks_uri' ? 'url' : 'text',
        ...(SELECT_OPTIONS[name] ? { options: SELECT_OPTIONS[name] } : {}),
        autofocus: i === 0,
      }),
    )}
    <div class="field">
      <label
        ><input type="checkbox" name="dpop_bound_access_tokens" value="yes" ${form.values.dpop_bound_access_tokens ? html`checked` : ''} />
        Require DPoP</label
      >
      <p class="hint">Every token request must carry a DPoP proof (RFC 9449), so every access token is bound to the app's key.</p>
    </div>
    <div class="field">
      <label
        ><input type="checkbox" name="access_token_format" value="jwt" ${form.values.jwt_access_tokens ? html`checked` : ''} /> JWT access
        tokens</label
      >
      <p class="hint">
        Access tokens are signed JWTs (RFC 9068) that APIs can check offline, instead of opaque ones. They are revoked and introspected
        alike.
      </p>
    </div>
    ${FORM_FIELDS[form.type].includes('redirect_uris') ? pushedRequestsField(form.values) : ''}
    <div class="actions">
      <a class="button secondary" href="${form.cancelHref}">Cancel</a>
      <button class="button primary" type="submit">${form.submitLabel}</button>
    </div>
  </form>`;
}

/** Only for the types that send users to the authorization endpoint: the others have no requests to push. */
function pushedRequestsField(values: ClientFormValues): SafeHtml {
  return html`<div class="field">
    <label
      ><input
        type="checkbox"
        name="require_pushed_authorization_requests"
        value="yes"
        ${values.require_pushed_authorization_requests ? html`checked` : ''}
      />
      Require pushed authorization requests</label
    >
    <p class="hint">
      The app must send every authorization request to the pushed authorization request endpoint first (RFC 9126), and the browser brings
      only the request_uri it got back.
    </p>
  </div>`;
}
