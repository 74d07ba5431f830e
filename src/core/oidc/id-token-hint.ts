import { compactVerify, createLocalJWKSet, errors } from 'jose';
import type { SigningKeys } from './signing-keys.js';

/** Far longer than any id_token Gatehouse signs; a longer hint is not one. */
const MAX_HINT_LENGTH = 8192;

/**
 * The user an `id_token_hint` names (OpenID Connect Core §3.1.2.1), when it is an id_token this server signed (with a
 * key it still publishes) for `clientId`; undefined otherwise. Its expiry is not checked: a hint is usually the id_token
 * of an earlier sign-in, long expired, and says only whom the client expects.
 */
export async function idTokenHintSubject(
  hint: string,
  clientId: string,
  deps: { keys: SigningKeys; issuer: string },
): Promise<string | undefined> {
  if (hint.length > MAX_HINT_LENGTH) return undefined;
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(hint, createLocalJWKSet(await deps.keys.jwks()), { algorithms: ['RS256'] }));
  } catch (err) {
    if (err instanceof errors.JOSEError) return undefined;
    throw err;
  }
  const claims = JSON.parse(new TextDecoder().decode(payload)) as { iss?: unknown; aud?: unknown; sub?: unknown };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== deps.issuer || !audiences.includes(clientId) || typeof claims.sub !== 'string') return undefined;
  return claims.sub;
}
