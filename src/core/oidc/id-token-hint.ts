import { compactVerify, createLocalJWKSet, errors } from 'jose';
import { SIGNING_ALGORITHMS } from './signing-algorithms.js';
import type { SigningKeys } from './signing-keys.js';

/** Far longer than any id_token Gatehouse signs; a longer hint is not one. */
const MAX_HINT_LENGTH = 8192;
/** Each client's id_tokens use the algorithm it registered, so a hint may carry any of them. */
const HINT_ALGORITHMS = [...SIGNING_ALGORITHMS];

/** The claims of an id_token this server signed, as a hint presents them. */
export interface HintClaims {
  sub: string;
  /** The audience: one client ID, or several. */
  aud: unknown;
  sid?: unknown;
}

/**
 * The claims of an `id_token_hint` (OpenID Connect Core §3.1.2.1, RP-Initiated Logout §2) when it is an id_token this
 * server signed, with a key it still publishes, as issuer; undefined otherwise. Its expiry is not checked: a hint is
 * usually the id_token of an earlier sign-in, long expired, and says only whom the client expects. A logout token,
 * signed by the same keys, has its own `typ` and an `events` claim, and is no hint; nor is a signed userinfo response
 * (no `typ`).
 * With several data centres, each DC's accounts server is an issuer of this server, so `issuer` may list them all.
 */
export async function verifiedIdTokenHint(
  hint: string,
  deps: { keys: SigningKeys; issuer: string | readonly string[] },
): Promise<HintClaims | undefined> {
  if (hint.length > MAX_HINT_LENGTH) return undefined;
  let verified: Awaited<ReturnType<typeof compactVerify>>;
  try {
    verified = await compactVerify(hint, createLocalJWKSet(await deps.keys.jwks()), { algorithms: HINT_ALGORITHMS });
  } catch (err) {
    if (err instanceof errors.JOSEError) return undefined;
    throw err;
  }
  if (verified.protectedHeader.typ !== 'JWT') return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(new TextDecoder().decode(verified.payload));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { iss, sub, events } = claims as Record<string, unknown>;
  const ours = typeof deps.issuer === 'string' ? iss === deps.issuer : deps.issuer.includes(iss as string);
  if (!ours || typeof sub !== 'string' || events !== undefined) return undefined;
  return claims as HintClaims;
}

/** The user an `id_token_hint` names, when it is an id_token this server signed for `clientId`; undefined otherwise. */
export async function idTokenHintSubject(
  hint: string,
  clientId: string,
  deps: { keys: SigningKeys; issuer: string | readonly string[] },
): Promise<string | undefined> {
  const claims = await verifiedIdTokenHint(hint, deps);
  const audiences = Array.isArray(claims?.aud) ? claims.aud : [claims?.aud];
  return claims && audiences.includes(clientId) ? claims.sub : undefined;
}
