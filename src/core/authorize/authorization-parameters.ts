import type { ParameterDefinition } from '../params/definitions.js';
import { ACR_MULTI_FACTOR, ACR_PASSWORD } from '../oidc/acr.js';
import type { ScopeRegistry } from '../scopes/registry.js';

/** The value sets the authorization checks accept (spec §2.1); the first `access_type` is the default. */
/** `id_token token`: OpenID Connect's implicit flow (Core §3.2), the access token and an id_token in the fragment. */
export const RESPONSE_TYPES = ['code', 'token', 'id_token token'] as const;
export const RESPONSE_MODES = ['query', 'fragment'] as const;
export const ACCESS_TYPES = ['online', 'offline'] as const;
/** OpenID Connect Core §3.1.2.1; `select_account` is a fresh sign-in, where any account may be chosen (one session per browser). */
export const PROMPTS = ['none', 'login', 'consent', 'select_account'] as const;
/** Only S256: `plain` protects nothing a stolen request does not already reveal. */
export const CODE_CHALLENGE_METHODS = ['S256'] as const;

export type ResponseType = (typeof RESPONSE_TYPES)[number];
export type ResponseMode = (typeof RESPONSE_MODES)[number];
export type AccessType = (typeof ACCESS_TYPES)[number];
export type Prompt = (typeof PROMPTS)[number];
export type CodeChallengeMethod = (typeof CODE_CHALLENGE_METHODS)[number];

/** The implicit flow's response types: tokens straight from the authorization endpoint, in the fragment. */
export function isImplicit(responseType: ResponseType | undefined): boolean {
  return responseType === 'token' || responseType === 'id_token token';
}

/** Every parameter of `GET /oauth/v2/auth`, with the values the checks in ./checks accept. */
export function authorizationParameters(scopes: ScopeRegistry): ParameterDefinition[] {
  return [
    { name: 'client_id', required: true, description: 'The client ID the developer console gave the application.' },
    {
      name: 'response_type',
      required: true,
      values: RESPONSE_TYPES,
      description:
        'code for an authorization code; token for client-based (JavaScript) applications (implicit flow); id_token token for the same with an id_token (OpenID Connect, nonce required).',
    },
    {
      name: 'redirect_uri',
      required: true,
      description:
        'Exactly one of the redirect URIs registered for the client. A loopback one (http://127.0.0.1 or http://[::1]) may carry any port (RFC 8252).',
    },
    { name: 'scope', required: true, values: scopes.names(), delimiter: ',', description: 'The scopes requested, comma separated.' },
    {
      name: 'access_type',
      required: false,
      values: ACCESS_TYPES,
      description: 'offline for a refresh token as well (on first consent, or with prompt=consent); online, the default, for none.',
    },
    {
      name: 'prompt',
      required: false,
      values: PROMPTS,
      delimiter: ' ',
      description:
        'Space separated: login (or select_account) signs the user in again; consent always asks; none never shows a page and fails instead, and goes with no other value.',
    },
    {
      name: 'max_age',
      required: false,
      description: 'OpenID Connect: seconds since the user last signed in beyond which they sign in again; 0 is prompt=login.',
    },
    {
      name: 'acr_values',
      required: false,
      delimiter: ' ',
      description: `OpenID Connect: ${ACR_MULTI_FACTOR} asks for a sign-in with a second factor; ${ACR_PASSWORD} is a password. Unknown values are ignored.`,
    },
    {
      name: 'claims',
      required: false,
      description:
        'OpenID Connect §5.5, JSON: an essential id_token acr is a demand for that level, an id_token sub value the user it must be; other claims follow the scopes.',
    },
    { name: 'login_hint', required: false, description: 'OpenID Connect: the email address the sign-in page starts with.' },
    {
      name: 'id_token_hint',
      required: false,
      description: 'OpenID Connect: an id_token Gatehouse issued to this client (expired ones too); the request is for its user only.',
    },
    { name: 'ui_locales', required: false, description: 'OpenID Connect: accepted and ignored; the pages are in English.' },
    { name: 'state', required: false, description: 'An opaque value, sent back unchanged with the code.' },
    {
      name: 'code_challenge',
      required: false,
      description: 'PKCE (RFC 7636): BASE64URL(SHA-256(code_verifier)). Required for mobile and client-based applications.',
    },
    { name: 'code_challenge_method', required: false, values: CODE_CHALLENGE_METHODS, description: 'With code_challenge: S256.' },
    {
      name: 'response_mode',
      required: false,
      values: RESPONSE_MODES,
      description: 'How the result comes back: query (the default for codes) or fragment (the only one for tokens).',
    },
    {
      name: 'nonce',
      required: false,
      description: 'OpenID Connect: copied into the id_token; required with response_type=id_token token.',
    },
  ];
}
