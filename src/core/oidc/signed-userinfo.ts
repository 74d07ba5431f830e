import { SignJWT } from 'jose';
import type { IdentityClaims } from './claims.js';
import type { SigningAlgorithm } from './signing-algorithms.js';
import type { SigningKeys } from './signing-keys.js';

/**
 * A userinfo response as a signed JWT (OpenID Connect Core §5.3.2), for a client that registered
 * `userinfo_signed_response_alg`: the claims its token's scopes release, with `iss` and `aud` (§5.3.2 "SHOULD"). No
 * `typ: JWT` in the header, so that it can never pass for an id_token as an `id_token_hint`, and no `exp`: it answers
 * one request and, as the JSON it replaces, does not expire.
 */
export async function signUserInfo(
  claims: IdentityClaims,
  input: { clientId: string; alg: SigningAlgorithm },
  deps: { keys: SigningKeys; issuer: string; now: () => number },
): Promise<string> {
  const { kid, alg, privateKey } = await deps.keys.signing(input.alg);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg, kid })
    .setIssuer(deps.issuer)
    .setAudience(input.clientId)
    .setIssuedAt(Math.floor(deps.now() / 1000))
    .sign(privateKey);
}
