import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { ReplayCache } from '@gatehouse/resource-server';
import { registeredAuthMethod, type Client } from '../clients/client.js';
import { invalidClient, type OAuthError } from '../errors/oauth-error.js';
import { SealOpenError, type SecretSeal } from '../secret-seal.js';
import { ClientKeys, ClientKeysUnavailable } from './client-keys.js';
import { describeJwtFailure } from './jwt-errors.js';

/** RFC 7523 §2.2: the one client assertion type. */
export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Asymmetric algorithms a `private_key_jwt` may be signed with; never `none`, never an HMAC (against a public key). */
export const PRIVATE_KEY_JWT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;
/** `client_secret_jwt`: an HMAC keyed with the client secret. */
export const CLIENT_SECRET_JWT_ALGORITHMS = ['HS256'] as const;
/** Every algorithm a client assertion may use, for discovery. */
export const CLIENT_ASSERTION_ALGORITHMS = [...PRIVATE_KEY_JWT_ALGORITHMS, ...CLIENT_SECRET_JWT_ALGORITHMS];

/** An assertion may be valid this long ahead at most: a short-lived proof, not a credential to keep (RFC 7523 §3). */
export const MAX_ASSERTION_LIFETIME_S = 300;
/** Clock difference allowed between client and server, for `exp`, `nbf` and `iat`. */
const CLOCK_SKEW_S = 30;
/** A `jti` longer than this is refused rather than remembered: the replay cache holds what clients send. */
const MAX_JTI_LENGTH = 256;

export interface ClientAssertionDeps {
  keys: ClientKeys;
  clientSecretSeal: SecretSeal;
  /** `jti`s seen; shared through Redis across nodes (the DPoP proofs' cache, under its own key prefix). */
  replay: ReplayCache;
  now: () => number;
}

/**
 * Checks a client assertion (RFC 7523 §3, with draft-ietf-oauth-rfc7523bis's audience rule) for a client already
 * found by its ID: signed by the client (its registered keys for `private_key_jwt`, its secret for
 * `client_secret_jwt`, each with its own algorithms), `iss` = `sub` = client_id, `aud` this DC's issuer identifier
 * (a single string: the bis draft's fix for assertions a client was tricked into making for another server), `exp`
 * within `MAX_ASSERTION_LIFETIME_S`, `iat`/`nbf` not ahead, and `jti` never seen before. Throws `invalid_client`.
 */
export async function verifyClientAssertion(client: Client, assertion: string, issuer: string, deps: ClientAssertionDeps): Promise<void> {
  const method = registeredAuthMethod(client);
  if (method !== 'private_key_jwt' && method !== 'client_secret_jwt') {
    throw invalidClient(
      'client_auth_method_mismatch',
      `This client is registered for ${method}; it cannot authenticate with a client assertion.`,
    );
  }
  const algorithms = method === 'private_key_jwt' ? PRIVATE_KEY_JWT_ALGORITHMS : CLIENT_SECRET_JWT_ALGORITHMS;
  let key: JWTVerifyGetKey;
  if (method === 'private_key_jwt') key = keyLookup(client, deps.keys);
  else {
    const secret = await sealedSecretKey(client, deps.clientSecretSeal);
    key = () => secret;
  }
  const now = deps.now();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, key, {
      algorithms: [...algorithms],
      issuer: client.clientId,
      subject: client.clientId,
      requiredClaims: ['exp', 'jti', 'aud'],
      clockTolerance: CLOCK_SKEW_S,
      currentDate: new Date(now),
    }));
  } catch (err) {
    if (err instanceof ClientKeysUnavailable) throw refused(err.message);
    const description = describeJwtFailure(err, 'The client assertion', algorithms);
    if (description === undefined) throw err;
    throw refused(description);
  }
  checkClaims(payload, issuer, now);
  const nowS = Math.floor(now / 1000);
  const ttlMs = (payload.exp! - nowS + CLOCK_SKEW_S) * 1000;
  if (!(await deps.replay.firstUse(`client-assertion:${client.clientId}:${payload.jti}`, ttlMs))) {
    throw refused('The client assertion has been used before (its jti was seen); sign a new one for each request.');
  }
}

function checkClaims(payload: JWTPayload, issuer: string, now: number): void {
  const nowS = Math.floor(now / 1000);
  if (payload.aud !== issuer)
    throw refused(`The client assertion's aud must be this server's issuer identifier, ${issuer}, as a single string.`);
  if (payload.exp! > nowS + MAX_ASSERTION_LIFETIME_S + CLOCK_SKEW_S)
    throw refused(`The client assertion expires too far ahead: at most ${MAX_ASSERTION_LIFETIME_S} seconds.`);
  if (typeof payload.iat === 'number' && payload.iat > nowS + CLOCK_SKEW_S)
    throw refused('The client assertion was issued in the future (iat).');
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > MAX_JTI_LENGTH)
    throw refused(`The client assertion's jti must be a string of 1 to ${MAX_JTI_LENGTH} characters.`);
}

function keyLookup(client: Client, keys: ClientKeys): JWTVerifyGetKey {
  try {
    return keys.lookup(client);
  } catch (err) {
    if (err instanceof ClientKeysUnavailable) throw refused(err.message);
    throw err;
  }
}

/** The HMAC key of a `client_secret_jwt` client: its secret, kept sealed only for this (see `registerClient`). */
async function sealedSecretKey(client: Client, seal: SecretSeal): Promise<Uint8Array> {
  const refusal = () =>
    refused('This client has no secret usable for client_secret_jwt: generate a new client secret after switching to it.');
  if (!client.sealedSecret) throw refusal();
  try {
    return new TextEncoder().encode(await seal.open(client.sealedSecret, client.clientId));
  } catch (err) {
    if (err instanceof SealOpenError) throw refusal();
    throw err;
  }
}

function refused(description: string): OAuthError {
  return invalidClient('client_assertion_invalid', description);
}
