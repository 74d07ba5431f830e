import type { DataCenter, DataCenters } from '../datacenters/data-centers.js';
import type { UserRepository } from '../users/user-repository.js';
import { formatScopes } from '@gatehouse/resource-server';
import { audienceClaim } from './resource-indicators.js';
import { findLiveToken, type TokenKind, type TokenLookupDeps } from './token-lookup.js';

/** RFC 7662 §2.2. Only `active` is required; the rest describe an active token. */
export interface IntrospectionResponse {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  token_type?: string;
  exp?: number;
  iat?: number;
  sub?: string;
  iss?: string;
  /** RFC 7662 §2.2 / RFC 8707: the audiences an access token is restricted to; absent: unrestricted. */
  aud?: string | string[];
  /** RFC 9449 §6.2: the key a DPoP-bound token is bound to. */
  cnf?: { jkt: string };
  /**
   * Gatehouse's extension (RFC 7662 §2.2 allows them): the organisation the token acts for, an org-wide grant's or a
   * `soid`'s; absent when it acts on its user's own data. `sub` is still who authorised it.
   */
  org_id?: string;
}

/**
 * Describes a token to a resource server (RFC 7662). Anything not live, and anything malformed, is `{active:false}`
 * with no further detail (§2.2: "the authorization server MUST NOT include other information"). A token is described
 * at its own DC's accounts server only (`at`); elsewhere it is not active, as it is not usable there (spec §9).
 */
export async function introspect(
  value: string,
  deps: TokenLookupDeps & { users: UserRepository; at: DataCenter; dataCenters: DataCenters },
  hint?: TokenKind,
): Promise<IntrospectionResponse> {
  const found = await findLiveToken(value, deps, hint);
  if (!found || !deps.dataCenters.isAt(found.record.dc ?? null, deps.at)) return { active: false };
  const user = await deps.users.findByZuid(found.record.userZuid);
  // A disabled user's tokens are revoked with the disable; this covers one that a store still held in a race.
  if (!user || user.disabled) return { active: false };
  return {
    active: true,
    scope: formatScopes(found.scopes),
    client_id: found.record.clientId,
    username: user.email,
    token_type: found.kind === 'refresh_token' ? 'refresh_token' : found.record.jkt === null ? 'Bearer' : 'DPoP',
    ...(found.kind === 'access_token' ? { exp: Math.floor(found.record.expiresAt / 1000) } : {}),
    iat: Math.floor(found.record.createdAt / 1000),
    sub: user.zuid,
    iss: deps.at.issuer,
    ...(found.record.jkt === null ? {} : { cnf: { jkt: found.record.jkt } }),
    ...(found.kind === 'access_token' && found.record.audience !== undefined ? { aud: audienceClaim(found.record.audience) } : {}),
    ...(found.record.orgId === undefined ? {} : { org_id: found.record.orgId }),
  };
}
