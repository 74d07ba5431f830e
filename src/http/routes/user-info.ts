import type { FastifyInstance } from 'fastify';
import { insufficientScope, invalidToken } from '../../core/errors/oauth-error.js';
import { anyCovers } from '@gatehouse/resource-server';
import { findLiveAccessToken } from '../../core/tokens/token-lookup.js';
import { zohoUserInfo } from '../../core/users/user-info.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBearerToken } from '../bearer-token.js';

const PROFILE_SCOPE = 'AaaServer.profile.READ';

/** `GET /oauth/user/info`, Zoho's profile endpoint (spec §10), needing `AaaServer.profile.READ`. */
export function userInfoRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const required = gatehouse.scopes.lookup(PROFILE_SCOPE)!;
  app.get('/oauth/user/info', { config: { errorChannel: 'resource' } }, async (request) => {
    const found = await findLiveAccessToken(readBearerToken(request.headers.authorization), gatehouse.lookup);
    if (!found) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
    if (!anyCovers(found.scopes, required)) throw insufficientScope(PROFILE_SCOPE);
    const user = await gatehouse.storage.users.findByZuid(found.record.userZuid);
    if (!user) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
    return zohoUserInfo(user);
  });
}
