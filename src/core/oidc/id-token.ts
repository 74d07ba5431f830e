import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Scope } from '@gatehouse/resource-server';
import type { User } from '../users/user.js';
import { acrOf } from './acr.js';
import { identityClaims } from './claims.js';
import type { SigningAlgorithm } from './signing-algorithms.js';
import type { SigningKeys } from './signing-keys.js';

export interface IdTokenInput {
  user: User;
  clientId: string;
  scopes: readonly Scope[];
  nonce: string | null;
  /** How the user signed in (RFC 8176 values, space separated), as the code recorded it; null: not said. */
  amr: string | null;
  /** When the user signed in (ms since the epoch), as the code recorded it; null: not said. */
  authTime: number | null;
  /** The browser session the user signed in with (Back-Channel Logout §2.1), as the code recorded it; null: none. */
  sid: string | null;
  /** The access token issued alongside, for `at_hash`. */
  accessToken: string;
  /** The client's `id_token_signed_response_alg`. */
  alg: SigningAlgorithm;
}

/** An id_token lives as long as an access token. */
const LIFETIME_SECONDS = 3600;

/**
 * Signs an id_token (OpenID Connect Core §2, §3.1.3.6). The header carries the standard `kid` and Zoho's `key_id`
 * (spec decision 7). `auth_time` is always there when the sign-in is known (§2 permits it whether or not `max_age`
 * was asked), and so is `acr`, the level that sign-in reached.
 */
export async function issueIdToken(input: IdTokenInput, deps: { keys: SigningKeys; issuer: string; now: () => number }): Promise<string> {
  const { kid, alg, privateKey } = await deps.keys.signing(input.alg);
  const iat = Math.floor(deps.now() / 1000);
  return new SignJWT({
    ...identityClaims(input.user, input.scopes),
    ...(input.nonce !== null ? { nonce: input.nonce } : {}),
    ...(input.amr !== null ? { amr: input.amr.split(' '), acr: acrOf(input.amr) } : {}),
    ...(input.authTime !== null ? { auth_time: Math.floor(input.authTime / 1000) } : {}),
    ...(input.sid !== null ? { sid: input.sid } : {}),
    at_hash: atHash(input.accessToken, input.alg),
  })
    .setProtectedHeader({ alg, typ: 'JWT', kid, key_id: kid })
    .setIssuer(deps.issuer)
    .setAudience(input.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .sign(privateKey);
}

/** The hash each algorithm's `at_hash` is made with: its own (SHA-256 for RS256 and ES256; SHA-512 for Ed25519). */
const AT_HASH: Record<SigningAlgorithm, { hash: string; bytes: number }> = {
  RS256: { hash: 'sha256', bytes: 16 },
  ES256: { hash: 'sha256', bytes: 16 },
  EdDSA: { hash: 'sha512', bytes: 32 },
};

/**
 * §3.1.3.6: the left half of the hash of the access token, base64url, with the hash of the id_token's `alg` (for
 * EdDSA with Ed25519, SHA-512, as OpenID Connect Core's errata set 2 specifies and relying parties check).
 */
export function atHash(accessToken: string, alg: SigningAlgorithm = 'RS256'): string {
  const { hash, bytes } = AT_HASH[alg];
  return createHash(hash).update(accessToken, 'ascii').digest().subarray(0, bytes).toString('base64url');
}
