import type { Scope } from '@gatehouse/resource-server';
import { insufficientScope, invalidToken } from '../core/errors/oauth-error.js';
import { findLiveAccessToken } from '../core/tokens/token-lookup.js';
import type { User } from '../core/users/user.js';
import type { Gatehouse } from '../gatehouse.js';
import { readBearerToken } from './bearer-token.js';

/**
 * The user behind the access token of a request to one of Gatehouse's own profile endpoints, once the token is found
 * live and its scopes pass `allowed`; otherwise the RFC 6750 error (`invalid_token`, or `insufficient_scope` naming
 * `requiredScope`).
 */
export async function tokenOwner(
  authorization: string | undefined,
  gatehouse: Pick<Gatehouse, 'lookup' | 'storage'>,
  allowed: (scopes: readonly Scope[]) => boolean,
  requiredScope: string,
): Promise<{ user: User; scopes: Scope[] }> {
  const found = await findLiveAccessToken(readBearerToken(authorization), gatehouse.lookup);
  if (!found) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
  // RFC 9449 §7.2: a DPoP-bound token is no bearer token. These endpoints take bearer tokens only.
  if (found.record.jkt !== null) throw invalidToken('token_invalid', 'This access token is bound to a DPoP key; it is not a bearer token.');
  if (!allowed(found.scopes)) throw insufficientScope(requiredScope);
  const user = await gatehouse.storage.users.findByZuid(found.record.userZuid);
  if (!user) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
  return { user, scopes: found.scopes };
}
