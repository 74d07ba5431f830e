import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { SigningAlgorithm } from '../oidc/signing-algorithms.js';
import type { SigningKeys } from '../oidc/signing-keys.js';

/** Back-Channel Logout §2.4: the event a logout token carries. */
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** Two minutes: the token is delivered at once, so a short life leaves little for a replay (§2.4, "short"). */
const LIFETIME_SECONDS = 120;

/**
 * Signs a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4) with the id_token keys: `typ: logout+jwt` (§2.4,
 * so that it can never pass for an id_token), `sub` and, when one session ended, its `sid`; never a `nonce`. The
 * algorithm is the client's `id_token_signed_response_alg`: §2.4 signs logout tokens as the client's id_tokens.
 */
export async function issueLogoutToken(
  input: { clientId: string; sub: string; sid: string | null; alg: SigningAlgorithm },
  deps: { keys: SigningKeys; issuer: string; now: () => number },
): Promise<string> {
  const { kid, alg, privateKey } = await deps.keys.signing(input.alg);
  const iat = Math.floor(deps.now() / 1000);
  return new SignJWT({ events: { [BACKCHANNEL_LOGOUT_EVENT]: {} }, ...(input.sid !== null ? { sid: input.sid } : {}) })
    .setProtectedHeader({ alg, typ: 'logout+jwt', kid })
    .setIssuer(deps.issuer)
    .setAudience(input.clientId)
    .setSubject(input.sub)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .setJti(randomBytes(16).toString('hex'))
    .sign(privateKey);
}
