import type { FastifyInstance } from 'fastify';
import { authenticateClient } from '../../core/clients/authenticate-client.js';
import { invalidClient, invalidRequest, methodNotAllowed } from '../../core/errors/oauth-error.js';
import { introspect } from '../../core/tokens/introspection.js';
import type { TokenKind } from '../../core/tokens/token-lookup.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * `POST /oauth/v2/introspect` (RFC 7662). Callers are resource servers holding a confidential client's credentials
 * (§2.1: the endpoint "MUST also require some form of authorization"); any such client may introspect any token,
 * because a resource server validates tokens issued to other clients.
 */
export function introspectionRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  // Every method is routed here, so that any but POST is a 405 with `Allow: POST` rather than a 404.
  app.all('/oauth/v2/introspect', { config: { errorChannel: 'standard' } }, async (request) => {
    if (request.method !== 'POST') throw methodNotAllowed('introspection endpoint');
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    const { dataCenters } = gatehouse.config;
    const at = requestDataCenter(request, dataCenters);
    const caller = await authenticateClient(
      params,
      readBasicCredentials(request.headers.authorization),
      gatehouse.clientAuth,
      at.issuer,
      request.ip,
    );
    if (caller.method === 'none')
      throw invalidClient('client_secret_missing', 'Introspection requires client authentication (a client secret or assertion).');
    const token = params.get('token');
    if (token === undefined) throw invalidRequest('missing_parameter', 'The parameter token is required.');
    // §2.1: an unknown hint may be ignored; the search covers every type anyway.
    const rawHint = params.get('token_type_hint');
    const hint: TokenKind | undefined = rawHint === 'access_token' || rawHint === 'refresh_token' ? rawHint : undefined;
    return introspect(token, { ...gatehouse.lookup, users: gatehouse.storage.users, at, dataCenters }, hint);
  });
}
