import type { FastifyInstance } from 'fastify';
import { anyCovers } from '@gatehouse/resource-server';
import { zohoUserInfo } from '../../core/users/user-info.js';
import type { Gatehouse } from '../../gatehouse.js';
import { tokenOwner } from '../token-owner.js';

const PROFILE_SCOPE = 'AaaServer.profile.READ';

/** `GET /oauth/user/info`, Zoho's profile endpoint (spec §10), needing `AaaServer.profile.READ`. */
export function userInfoRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const required = gatehouse.scopes.lookup(PROFILE_SCOPE)!;
  app.get('/oauth/user/info', { config: { errorChannel: 'resource' } }, async (request) => {
    const { user } = await tokenOwner(request.headers.authorization, gatehouse, (scopes) => anyCovers(scopes, required), PROFILE_SCOPE);
    return zohoUserInfo(user);
  });
}
