import { ManagementError } from '../errors/management-error.js';
import { clientUrlProblem, quoteClientUrl, SERVER_REQUESTED_URL } from './client-url.js';
import { TOKEN_ENDPOINT_AUTH_METHODS, type ClientJwks, type ClientType, type TokenEndpointAuthMethod } from './client.js';

/** What a registration says about how the client proves itself and where its public keys are (RFC 7591 §2). */
export interface ClientKeyFields {
  tokenEndpointAuthMethod?: string | undefined;
  /** A JWK Set, as an object or its JSON text (a form field, a CLI flag); '' or null removes it. */
  jwks?: unknown;
  /** '' removes it. */
  jwksUri?: string | undefined;
  requireSignedRequestObject?: boolean | undefined;
}

export interface ValidClientKeyFields {
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  jwks: ClientJwks | null;
  jwksUri: string | null;
  requireSignedRequestObject: boolean;
}

/** A JWK Set larger than this is refused: it is stored with the client and read with it on every request. */
export const MAX_JWKS_BYTES = 64 * 1024;
const MAX_KEYS = 20;
/** Members that only a private (or symmetric) key has: a client registers public keys only (RFC 7517 §6.2.2, §6.3.2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_KEY_TYPES = new Set(['RSA', 'EC', 'OKP']);

/**
 * Checks the authentication method against the client type and the keys it needs: a client-based (JavaScript)
 * application has no secret and authenticates with `none`; every other type with its secret (the default,
 * `client_secret_basic`), an HMAC of it (`client_secret_jwt`) or a key of its own (`private_key_jwt`, which needs
 * `jwks` or `jwks_uri`). `require_signed_request_object` needs keys to check the signatures with.
 */
export function validateClientKeyFields(type: ClientType, input: ClientKeyFields): ValidClientKeyFields {
  const method = validMethod(type, input.tokenEndpointAuthMethod);
  const jwks = validJwks(input.jwks);
  const jwksUri = validJwksUri(input.jwksUri);
  if (jwks !== null && jwksUri !== null)
    throw new ManagementError('client.jwks_invalid', 'Give either jwks or jwks_uri, not both.', 400, 'jwks');
  const hasKeys = jwks !== null || jwksUri !== null;
  if (method === 'private_key_jwt' && !hasKeys)
    throw new ManagementError('client.jwks_required', "private_key_jwt needs the client's public keys: jwks or jwks_uri.", 400, 'jwks');
  const requireSignedRequestObject = input.requireSignedRequestObject ?? false;
  if (requireSignedRequestObject && !hasKeys)
    throw new ManagementError(
      'client.jwks_required',
      "require_signed_request_object needs the client's public keys (jwks or jwks_uri) to check request objects with.",
      400,
      'require_signed_request_object',
    );
  return { tokenEndpointAuthMethod: method, jwks, jwksUri, requireSignedRequestObject };
}

function validMethod(type: ClientType, given: string | undefined): TokenEndpointAuthMethod {
  const method = given === undefined || given === '' ? (type === 'client' ? 'none' : 'client_secret_basic') : given;
  if (!(TOKEN_ENDPOINT_AUTH_METHODS as readonly string[]).includes(method))
    throw new ManagementError(
      'client.auth_method_invalid',
      `token_endpoint_auth_method must be one of ${TOKEN_ENDPOINT_AUTH_METHODS.join(', ')}.`,
      400,
      'token_endpoint_auth_method',
    );
  if ((type === 'client') !== (method === 'none'))
    throw new ManagementError(
      'client.auth_method_invalid',
      type === 'client'
        ? 'A client-based application has no secret and no private key: its token_endpoint_auth_method is none.'
        : 'This client type authenticates: token_endpoint_auth_method cannot be none.',
      400,
      'token_endpoint_auth_method',
    );
  return method as TokenEndpointAuthMethod;
}

function validJwks(given: unknown): ClientJwks | null {
  if (given === undefined || given === null || given === '') return null;
  const fail = (why: string) => new ManagementError('client.jwks_invalid', `Enter a valid JWK Set: ${why}.`, 400, 'jwks');
  let value = given;
  if (typeof given === 'string') {
    if (given.length > MAX_JWKS_BYTES) throw fail(`it is larger than ${MAX_JWKS_BYTES / 1024} KiB`);
    try {
      value = JSON.parse(given);
    } catch {
      throw fail('it is not JSON');
    }
  } else if (JSON.stringify(given).length > MAX_JWKS_BYTES) {
    throw fail(`it is larger than ${MAX_JWKS_BYTES / 1024} KiB`);
  }
  return checkJwks(value, fail);
}

/** The shape of a public JWK Set, from a registration or a `jwks_uri`; `fail` makes the caller's kind of error. */
export function checkJwks(value: unknown, fail: (why: string) => Error): ClientJwks {
  if (typeof value !== 'object' || value === null || !Array.isArray((value as { keys?: unknown }).keys))
    throw fail('an object with a "keys" array');
  const keys = (value as { keys: unknown[] }).keys;
  if (keys.length === 0 || keys.length > MAX_KEYS) throw fail(`it holds 1 to ${MAX_KEYS} keys`);
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw fail('every key is a JSON object');
    const jwk = key as Record<string, unknown>;
    if (typeof jwk.kty !== 'string' || !PUBLIC_KEY_TYPES.has(jwk.kty)) throw fail('every key has kty RSA, EC or OKP');
    if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw fail('it holds private key material; register public keys only');
    if (jwk.kid !== undefined && typeof jwk.kid !== 'string') throw fail('a kid is a string');
  }
  return { keys: keys as Array<Record<string, unknown>> };
}

/** Gatehouse reads the keys from it (`ClientKeys`), so it is held to what Gatehouse requests: https, or loopback http. */
function validJwksUri(given: string | undefined): string | null {
  const uri = (given ?? '').trim();
  if (uri === '') return null;
  const why = clientUrlProblem(uri, SERVER_REQUESTED_URL);
  if (why === undefined) return uri;
  throw new ManagementError('client.jwks_uri_invalid', `Enter a valid jwks_uri: ${quoteClientUrl(uri)} ${why}.`, 400, 'jwks_uri');
}
