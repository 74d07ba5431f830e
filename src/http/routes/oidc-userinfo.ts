import type { FastifyInstance, FastifyRequest } from 'fastify';
import { identityClaims, OIDC_SCOPES } from '../../core/oidc/claims.js';
import { insufficientScope, invalidToken } from '../../core/errors/oauth-error.js';
import { findLiveAccessToken } from '../../core/tokens/token-lookup.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBearerToken } from '../bearer-token.js';

/** `/oauth/v2/userinfo` (OpenID Connect Core §5.3): the claims an access token's identity scopes release. */
export function oidcUserInfoRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const handler = async (request: FastifyRequest) => {
    const found = await findLiveAccessToken(readBearerToken(request.headers.authorization), gatehouse.lookup);
    if (!found) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
    if (!found.scopes.some((s) => OIDC_SCOPES.has(s.name))) throw insufficientScope('openid');
    const user = await gatehouse.storage.users.findByZuid(found.record.userZuid);
    if (!user) throw invalidToken('token_invalid', 'The access token is invalid, expired or revoked.');
    return identityClaims(user, found.scopes);
  };
  // §5.3.1: "MUST support the use of the HTTP GET and HTTP POST methods".
  app.get('/oauth/v2/userinfo', { config: { errorChannel: 'resource' } }, handler);
  app.post('/oauth/v2/userinfo', { config: { errorChannel: 'resource' } }, handler);
}
