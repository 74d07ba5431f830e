import type { Client, ClientType } from '../clients/client.js';
import type { ClientFields } from '../clients/validate-client.js';
import { invalidClientMetadata, invalidRedirectUri, isOAuthError } from '../errors/oauth-error.js';
import type { ScopeRegistry } from '../scopes/registry.js';

/**
 * RFC 7591 client metadata ↔ Gatehouse clients: one entry per metadata field. A field the console edits reads into
 * `ClientFields` (validated afterwards by the console's own `validateClientFields`) and is shown from the client; a
 * field Gatehouse keeps only for the registration (`kept`) is checked here, stored beside the client and shown from
 * there. A new client field (`jwks`, `access_token_format`, …) is one entry more. Unknown fields are ignored
 * (RFC 7591 §2).
 */
type Field =
  | { kind: 'client'; read: (value: unknown, name: string) => ClientFields; show: (client: Client) => unknown }
  | { kind: 'kept'; read: (value: unknown, name: string, scopes: ScopeRegistry) => unknown };

const CLIENT_FIELDS = {
  client_name: {
    kind: 'client',
    read: (v, name) => ({ name: text(v, name) }),
    show: (c) => c.name,
  },
  client_uri: {
    kind: 'client',
    read: (v, name) => ({ homepage: text(v, name) }),
    show: (c) => c.homepage,
  },
  redirect_uris: {
    kind: 'client',
    read: (v, name) => ({ redirectUris: texts(v, name) }),
    show: (c) => c.redirectUris,
  },
  post_logout_redirect_uris: {
    kind: 'client',
    read: (v, name) => ({ postLogoutRedirectUris: texts(v, name) }),
    show: (c) => c.postLogoutRedirectUris,
  },
  backchannel_logout_uri: {
    kind: 'client',
    read: (v, name) => ({ backchannelLogoutUri: text(v, name) }),
    show: (c) => c.backchannelLogoutUri ?? undefined,
  },
  backchannel_logout_session_required: {
    kind: 'client',
    read: (v, name) => ({ backchannelLogoutSessionRequired: flag(v, name) }),
    show: (c) => c.backchannelLogoutSessionRequired,
  },
  dpop_bound_access_tokens: {
    kind: 'client',
    read: (v, name) => ({ dpopBoundAccessTokens: flag(v, name) }),
    show: (c) => c.dpopBoundAccessTokens,
  },
  // RFC 7591 §2: the client's public keys, for private_key_jwt and signed request objects; checked as the console checks them.
  jwks: {
    kind: 'client',
    read: (v, name) => ({ jwks: jsonObject(v, name) }),
    show: (c) => c.jwks ?? undefined,
  },
  jwks_uri: {
    kind: 'client',
    read: (v, name) => ({ jwksUri: text(v, name) }),
    show: (c) => c.jwksUri ?? undefined,
  },
  // RFC 9101 §10.5 and RFC 9126 §6.
  require_signed_request_object: {
    kind: 'client',
    read: (v, name) => ({ requireSignedRequestObject: flag(v, name) }),
    show: (c) => c.requireSignedRequestObject ?? false,
  },
  require_pushed_authorization_requests: {
    kind: 'client',
    read: (v, name) => ({ requirePushedAuthorizationRequests: flag(v, name) }),
    show: (c) => c.requirePushedAuthorizationRequests,
  },
  // OpenID Connect Dynamic Client Registration §2.
  id_token_signed_response_alg: {
    kind: 'client',
    read: (v, name) => ({ idTokenSignedResponseAlg: text(v, name) }),
    show: (c) => c.idTokenSignedResponseAlg,
  },
  userinfo_signed_response_alg: {
    kind: 'client',
    read: (v, name) => ({ userinfoSignedResponseAlg: text(v, name) }),
    show: (c) => c.userinfoSignedResponseAlg ?? undefined,
  },
} satisfies Record<string, Field>;

/**
 * Kept beside the client, not enforced by it: `scope` is informative (the client may still request any known scope;
 * enforcing it would cost every authorization and token request a read); the others decide the client's type and are
 * shown back as registered. `token_endpoint_auth_method` also becomes the client's own (see `readMetadata`).
 */
const REGISTRATION_ONLY_FIELDS = {
  scope: { kind: 'kept', read: (v, name, scopes) => scopeList(v, name, scopes) },
  grant_types: { kind: 'kept', read: (v, name) => oneOfEach(texts(v, name), GRANT_TYPES, name) },
  response_types: { kind: 'kept', read: (v, name) => oneOfEach(texts(v, name), ['code'], name) },
  application_type: { kind: 'kept', read: (v, name) => oneOf(text(v, name), ['web', 'native'], name) },
  token_endpoint_auth_method: { kind: 'kept', read: (v, name) => oneOf(text(v, name), AUTH_METHODS, name) },
} satisfies Record<string, Field>;

const METADATA: Record<string, Field> = { ...CLIENT_FIELDS, ...REGISTRATION_ONLY_FIELDS };

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const GRANT_TYPES = ['authorization_code', 'refresh_token', DEVICE_GRANT];
/**
 * RFC 6749 §2.3.1, public clients and RFC 7523's private_key_jwt. Not client_secret_jwt: it needs the secret kept
 * sealed beside its hash, which the console, the API and the CLI do; a registered client can switch to it there.
 */
const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'];

/** A registration request's metadata as Gatehouse understands it. */
export interface ReadMetadata {
  type: ClientType;
  /** For `validateClientFields`, which has the last word on each of them. */
  fields: ClientFields;
  /** The registration-only metadata, defaults filled in, as stored and shown. */
  kept: Record<string, unknown>;
}

/** Reads client metadata (RFC 7591 §2); throws `invalid_client_metadata` or `invalid_redirect_uri` at the first fault. */
export function readMetadata(body: unknown, scopes: ScopeRegistry): ReadMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidClientMetadata('client_metadata_invalid', 'The client metadata must be a JSON object.');
  const given = body as Record<string, unknown>;
  let fields: ClientFields = {};
  const kept: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(METADATA)) {
    const value = given[name];
    // RFC 7591 §2: null is "not given"; a field is either absent or valid.
    if (value === undefined || value === null) continue;
    if (field.kind === 'client') fields = { ...fields, ...field.read(value, name) };
    else kept[name] = field.read(value, name, scopes);
  }
  const filled = withDefaults(kept);
  const type = clientTypeOf(filled);
  // How a secret or key client authenticates is its own, enforced at every endpoint that authenticates clients; `none`
  // is said by the type (a client-based app, or a mobile app without a secret: spec §1.1).
  const method = filled.token_endpoint_auth_method;
  if (method !== 'none') fields = { ...fields, tokenEndpointAuthMethod: method };
  // Browser-based apps' JavaScript origins (spec §1.1) are not RFC 7591 metadata: their redirect URIs' origins.
  if (type === 'client') fields = { ...fields, jsDomains: origins(fields.redirectUris ?? []) };
  return { type, fields, kept: filled };
}

/** The registered client as RFC 7591 §3.2.1 metadata: its fields, then the registration-only ones as kept. */
export function showMetadata(client: Client, kept: Record<string, unknown>): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(CLIENT_FIELDS)) {
    const value = field.show(client);
    if (value !== undefined) shown[name] = value;
  }
  return { ...shown, ...kept };
}

/** The registration-only fields that decide the client's type, RFC 7591's defaults filled in. */
interface TypeDeciding extends Record<string, unknown> {
  grant_types: string[];
  response_types: string[];
  token_endpoint_auth_method: string;
  application_type: string;
}

/** RFC 7591 §2's defaults; a device client's response types default to none (it is never redirected to). */
function withDefaults(kept: Record<string, unknown>): TypeDeciding {
  const grants = (kept.grant_types as string[] | undefined) ?? ['authorization_code'];
  return {
    ...kept,
    grant_types: grants,
    response_types: (kept.response_types as string[] | undefined) ?? (grants.includes(DEVICE_GRANT) ? [] : ['code']),
    token_endpoint_auth_method: (kept.token_endpoint_auth_method as string | undefined) ?? 'client_secret_basic',
    application_type: (kept.application_type as string | undefined) ?? 'web',
  };
}

/**
 * Which console client type the metadata describes (spec §1.1): a device-code client is a non-browser application, a
 * native one a mobile app, a web one without a secret a client-based (JavaScript) app, any other web one a
 * server-based app. Never a Self Client. The grant and response types must agree (RFC 7591 §2.1).
 */
function clientTypeOf(kept: TypeDeciding): ClientType {
  const { grant_types: grants, response_types: responses, token_endpoint_auth_method: method, application_type: application } = kept;
  const device = grants.includes(DEVICE_GRANT);
  const fail = (why: string) => invalidClientMetadata('client_metadata_invalid', why);
  if (device) {
    if (grants.includes('authorization_code'))
      throw fail('A device client (device_code grant) cannot also use authorization_code: register two clients.');
    if (responses.length > 0) throw fail('A device client has no response_types: it is never redirected to.');
    if (method === 'none') throw fail('A device client authenticates with its client secret; token_endpoint_auth_method cannot be none.');
    return 'device';
  }
  if (!grants.includes('authorization_code') || !responses.includes('code'))
    throw fail('grant_types must include authorization_code (or the device_code grant) and response_types must be ["code"].');
  if (application === 'native') return 'mobile';
  return method === 'none' ? 'client' : 'server';
}

function text(value: unknown, name: string): string {
  if (typeof value === 'string') return value;
  throw wrongType(name, 'a string');
}

function texts(value: unknown, name: string): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw wrongType(name, 'an array of strings');
}

function jsonObject(value: unknown, name: string): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw wrongType(name, 'a JSON object');
}

function flag(value: unknown, name: string): boolean {
  if (typeof value === 'boolean') return value;
  throw wrongType(name, 'true or false');
}

function wrongType(name: string, what: string) {
  const description = `${name} must be ${what}.`;
  return name === 'redirect_uris'
    ? invalidRedirectUri('redirect_uri_invalid', description)
    : invalidClientMetadata('client_metadata_invalid', description);
}

function oneOf(value: string, allowed: readonly string[], name: string): string {
  if (allowed.includes(value)) return value;
  throw invalidClientMetadata('client_metadata_invalid', `${name} must be one of ${allowed.join(', ')}; got "${clip(value)}".`);
}

function oneOfEach(values: string[], allowed: readonly string[], name: string): string[] {
  for (const value of values) oneOf(value, allowed, name);
  return [...new Set(values)];
}

/** RFC 6749 §3.3's grammar (space-separated scope tokens), each a scope this server knows. */
const MAX_SCOPE_LIST = 2048;
const SCOPE_LIST = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;
function scopeList(value: unknown, name: string, scopes: ScopeRegistry): string {
  const list = text(value, name);
  // Bounded before the registry reads it: it suggests a near name for each unknown one, which costs per name.
  if (list.length > MAX_SCOPE_LIST)
    throw invalidClientMetadata('client_metadata_invalid', `scope must be at most ${MAX_SCOPE_LIST} characters.`);
  if (!SCOPE_LIST.test(list))
    throw invalidClientMetadata('client_metadata_invalid', 'scope must be scope names separated by single spaces.');
  try {
    scopes.parse(list);
  } catch (err) {
    if (isOAuthError(err)) throw invalidClientMetadata('client_metadata_invalid', err.description);
    throw err;
  }
  return list;
}

function origins(uris: readonly string[]): string[] {
  return [
    ...new Set(
      uris.flatMap((uri) => {
        try {
          return [new URL(uri).origin];
        } catch {
          return []; // validateClientFields names the broken URI.
        }
      }),
    ),
  ];
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}...` : s);
