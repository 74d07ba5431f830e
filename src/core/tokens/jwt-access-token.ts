import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { acrOf } from '../oidc/acr.js';
import type { ActiveKey } from '../oidc/signing-keys.js';
import { audienceClaim } from './resource-indicators.js';

/** RFC 9068 §2.1: the `typ` header of a JWT access token, which tells it apart from an id_token signed by the same key. */
export const JWT_ACCESS_TOKEN_TYPE = 'at+jwt';

export interface JwtAccessTokenClaims {
  /** The accounts server of the token's DC. */
  issuer: string;
  /** Space-separated resource URIs (RFC 8707): the restricted audience, or the default one (RFC 9068 §3). */
  audience: string;
  /** The user's ZUID; the client's own ID when it acts for itself (client_credentials, RFC 9068 §2.2). */
  subject: string;
  clientId: string;
  /** Space-separated canonical scope names. */
  scope: string;
  /** Milliseconds since the epoch. */
  issuedAt: number;
  expiresAt: number;
  /** RFC 9449 §6.1: the DPoP key the token is bound to. */
  jkt?: string | undefined;
  /** How and when the user signed in, where the grant knows it (a code does; a refresh token does not). */
  authentication?: { amr: string | null; authTime: number | null } | undefined;
  /** The organisation the token acts for (an org-wide grant, or a `soid`): the `org_id` claim, as introspection says. */
  orgId?: string | undefined;
}

/**
 * Signs an RFC 9068 access token with the server's current signing key (the id_tokens' key, published at the JWKS).
 * The token is also stored (under the keyed hash of the whole JWT), so revocation and introspection work as for an
 * opaque one; the JWT lets a resource server check it offline, until it expires.
 */
export function signJwtAccessToken(claims: JwtAccessTokenClaims, key: ActiveKey): Promise<string> {
  const { amr, authTime } = claims.authentication ?? { amr: null, authTime: null };
  return new SignJWT({
    client_id: claims.clientId,
    scope: claims.scope,
    ...(authTime !== null ? { auth_time: Math.floor(authTime / 1000) } : {}),
    ...(amr !== null ? { amr: amr.split(' '), acr: acrOf(amr) } : {}),
    ...(claims.jkt !== undefined ? { cnf: { jkt: claims.jkt } } : {}),
    ...(claims.orgId !== undefined ? { org_id: claims.orgId } : {}),
  })
    .setProtectedHeader({ alg: 'RS256', typ: JWT_ACCESS_TOKEN_TYPE, kid: key.kid })
    .setIssuer(claims.issuer)
    .setSubject(claims.subject)
    .setAudience(audienceClaim(claims.audience))
    .setIssuedAt(Math.floor(claims.issuedAt / 1000))
    .setExpirationTime(Math.floor(claims.expiresAt / 1000))
    .setJti(randomUUID())
    .sign(key.privateKey);
}
