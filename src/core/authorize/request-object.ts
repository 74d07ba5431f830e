import { jwtVerify, type JWTPayload } from 'jose';
import { ClientKeys, ClientKeysUnavailable } from '../client-auth/client-keys.js';
import { describeJwtFailure } from '../client-auth/jwt-errors.js';
import type { Client } from '../clients/client.js';
import { invalidRequestObject, type OAuthError } from '../errors/oauth-error.js';

/** Algorithms a request object may be signed with: the client's own asymmetric keys; never `none`, never an HMAC. */
export const REQUEST_OBJECT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
/** A request object valid longer than this is refused: it travels in URLs and browser histories. */
export const MAX_REQUEST_OBJECT_LIFETIME_S = 3600;
const CLOCK_SKEW_S = 30;
/** The JWT's own claims (RFC 7519 §4.1): they say who made the object and for how long, not what it requests. */
const JWT_CLAIMS = new Set(['iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub']);

export interface RequestObjectDeps {
  keys: ClientKeys;
  now: () => number;
}

/**
 * A signed authorization request (RFC 9101, JAR): checks the request object a client sent (`request`, or within a
 * pushed authorization request) and returns the authorization parameters it carries, which replace any sent beside it
 * (§6.3). Signed with one of the client's registered keys (`REQUEST_OBJECT_ALGORITHMS`), `iss` the client, `aud` the
 * issuer (any of `issuer` when a list: every DC's accounts server is this server), `exp` required and within
 * `MAX_REQUEST_OBJECT_LIFETIME_S`; its `client_id`, when present, must be the client's. Encrypted request objects are
 * not supported. Throws `invalid_request_object`.
 */
export async function verifyRequestObject(
  client: Client,
  jwt: string,
  issuer: string | readonly string[],
  deps: RequestObjectDeps,
): Promise<Record<string, string>> {
  if (!ClientKeys.has(client)) throw refused('This client has registered no keys (jwks or jwks_uri) to sign request objects with.');
  const now = deps.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(jwt, deps.keys.lookup(client), {
      algorithms: [...REQUEST_OBJECT_ALGORITHMS],
      issuer: client.clientId,
      audience: [...(typeof issuer === 'string' ? [issuer] : issuer)],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_SKEW_S,
      currentDate: new Date(now),
    }));
  } catch (err) {
    if (err instanceof ClientKeysUnavailable) throw refused(err.message);
    const description = describeJwtFailure(err, 'The request object', REQUEST_OBJECT_ALGORITHMS);
    if (description === undefined) throw err;
    throw refused(description);
  }
  if (payload.exp! > Math.floor(now / 1000) + MAX_REQUEST_OBJECT_LIFETIME_S + CLOCK_SKEW_S)
    throw refused(`The request object expires too far ahead: at most ${MAX_REQUEST_OBJECT_LIFETIME_S} seconds.`);
  return authorizationParameters(payload, client.clientId);
}

/** The object's claims as the authorization endpoint's parameters: strings as sent, numbers and JSON as text. */
function authorizationParameters(payload: JWTPayload, clientId: string): Record<string, string> {
  if (payload.client_id !== undefined && payload.client_id !== clientId)
    throw refused('The request object names another client_id than the request.');
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (JWT_CLAIMS.has(name)) continue;
    // §4: a request object must not itself refer to another.
    if (name === 'request' || name === 'request_uri') throw refused(`A request object cannot carry ${name}.`);
    if (typeof value === 'string') params[name] = value;
    else if (typeof value === 'number' && Number.isFinite(value)) params[name] = String(value);
    // OpenID Connect Core §6.1: `claims` is a JSON object inside the request object.
    else if (name === 'claims' && typeof value === 'object' && value !== null) params[name] = JSON.stringify(value);
    else throw refused(`The request object's ${name} must be a string.`);
  }
  params.client_id = clientId;
  return params;
}

function refused(description: string): OAuthError {
  return invalidRequestObject('request_object_invalid', description);
}
