import type { FastifyRequest } from 'fastify';
import type { Scope } from '@gatehouse/resource-server';
import { insufficientScope, invalidToken } from '../core/errors/oauth-error.js';
import { findLiveAccessToken } from '../core/tokens/token-lookup.js';
import type { User } from '../core/users/user.js';
import type { Gatehouse } from '../gatehouse.js';
import { readBearerToken } from './bearer-token.js';
import { requestDataCenter } from './data-center.js';

/**
 * The user behind the access token of a request to one of Gatehouse's own profile endpoints, once the token is found
 * live and its scopes pass `allowed`; otherwise the RFC 6750 error (`invalid_token`, or `insufficient_scope` naming
 * `requiredScope`). A token is accepted at its own DC's accounts server only (spec §9), as an unknown one elsewhere.
 */
export async function tokenOwner(
  request: FastifyRequest,
  gatehouse: Pick<Gatehouse, 'lookup' | 'storage' | 'config'>,
  allowed: (scopes: readonly Scope[]) => boolean,
  requiredScope: string,
): Promise<{ user: User; scopes: Scope[]; clientId: string }> {
  const found = await findLiveAccessToken(readBearerToken(request.headers.authorization), gatehouse.lookup);
  const { dataCenters } = gatehouse.config;
  if (!found || !dataCenters.isAt(found.record.dc ?? null, requestDataCenter(request, dataCenters)))
    throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
  // RFC 9449 §7.2: a DPoP-bound token is no bearer token. These endpoints take bearer tokens only.
  if (found.record.jkt !== null) throw invalidToken('token_invalid', 'This access token is bound to a DPoP key; it is not a bearer token.');
  if (!allowed(found.scopes)) throw insufficientScope(requiredScope);
  const user = await gatehouse.storage.users.findByZuid(found.record.userZuid);
  if (!user) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
  return { user, scopes: found.scopes, clientId: found.record.clientId };
}
