import type { FastifyInstance } from 'fastify';
import { anyCovers } from '@gatehouse/resource-server';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { USER_INFO_SCOPE, zohoUserInfo } from '../../core/users/user-info.js';
import type { Gatehouse } from '../../gatehouse.js';
import { tokenOwner } from '../token-owner.js';

/** `GET /oauth/user/info`, Zoho's profile endpoint (spec §10), needing `AaaServer.profile.READ`. */
export function userInfoRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const required = gatehouse.scopes.lookup(USER_INFO_SCOPE)!;
  app.get(ENDPOINT_PATHS.userInfo, { config: { errorChannel: 'resource' } }, async (request) => {
    const { user } = await tokenOwner(request, gatehouse, (scopes) => anyCovers(scopes, required), USER_INFO_SCOPE);
    return zohoUserInfo(user);
  });
}
