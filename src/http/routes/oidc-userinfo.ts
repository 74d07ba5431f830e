import type { FastifyInstance, FastifyRequest } from 'fastify';
import { identityClaims, OIDC_SCOPES } from '../../core/oidc/claims.js';
import type { Gatehouse } from '../../gatehouse.js';
import { tokenOwner } from '../token-owner.js';

/** `/oauth/v2/userinfo` (OpenID Connect Core §5.3): the claims an access token's identity scopes release. */
export function oidcUserInfoRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const handler = async (request: FastifyRequest) => {
    const { user, scopes } = await tokenOwner(request, gatehouse, (granted) => granted.some((s) => OIDC_SCOPES.has(s.name)), 'openid');
    return identityClaims(user, scopes);
  };
  // §5.3.1: "MUST support the use of the HTTP GET and HTTP POST methods".
  app.get('/oauth/v2/userinfo', { config: { errorChannel: 'resource' } }, handler);
  app.post('/oauth/v2/userinfo', { config: { errorChannel: 'resource' } }, handler);
}
