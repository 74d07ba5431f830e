import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { identityClaims, OIDC_SCOPES } from '../../core/oidc/claims.js';
import { signUserInfo } from '../../core/oidc/signed-userinfo.js';
import type { Gatehouse } from '../../gatehouse.js';
import { requestDataCenter } from '../data-center.js';
import { tokenOwner } from '../token-owner.js';

/**
 * `/oauth/v2/userinfo` (OpenID Connect Core §5.3): the claims an access token's identity scopes release, as JSON, or
 * as a signed JWT (`application/jwt`, §5.3.2) for a client that registered `userinfo_signed_response_alg`.
 */
export function oidcUserInfoRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const { user, scopes, clientId } = await tokenOwner(
      request,
      gatehouse,
      (granted) => granted.some((s) => OIDC_SCOPES.has(s.name)),
      'openid',
    );
    const claims = identityClaims(user, scopes);
    // The client row is in the read cache (its token requests read it), so a plain JSON answer costs a cache hit.
    const alg = (await gatehouse.storage.clients.find(clientId))?.userinfoSignedResponseAlg;
    if (!alg) return claims;
    // The token's DC's issuer: tokenOwner accepts a token only at its own DC (spec §9), as its id_tokens name it.
    const { issuer } = requestDataCenter(request, gatehouse.config.dataCenters);
    const jwt = await signUserInfo(claims, { clientId, alg }, { keys: gatehouse.signingKeys, issuer, now: gatehouse.now });
    return reply.type('application/jwt').send(jwt);
  };
  // §5.3.1: "MUST support the use of the HTTP GET and HTTP POST methods".
  app.get('/oauth/v2/userinfo', { config: { errorChannel: 'resource' } }, handler);
  app.post('/oauth/v2/userinfo', { config: { errorChannel: 'resource' } }, handler);
}
