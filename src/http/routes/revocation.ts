import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actors } from '../../core/audit/audit-log.js';
import { authenticateClient } from '../../core/clients/authenticate-client.js';
import { invalidRequest, methodNotAllowed, OAuthError } from '../../core/errors/oauth-error.js';
import { parseTokenTypeHint, revokeToken, tokenRevokedEvent } from '../../core/tokens/revocation.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * Token revocation (RFC 7009) at Zoho's two paths (spec §5): the classic `/oauth/v2/token/revoke?token=…`, which Zoho
 * shows without client authentication, and the newer `/oauth/v2/revoke/token` with Basic credentials and
 * `token_type`. A caller that presents client credentials has them checked and may revoke only its own tokens.
 */
export function revocationRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const handler = async (request: FastifyRequest) => {
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    const token = params.get('token');
    if (token === undefined) throw invalidRequest('missing_parameter', 'The parameter token is required.');
    const hint = parseTokenTypeHint(params.get('token_type_hint') ?? params.get('token_type'));
    const basic = readBasicCredentials(request.headers.authorization);
    const identified =
      basic !== undefined ||
      params.get('client_id') !== undefined ||
      params.get('client_secret') !== undefined ||
      params.get('client_assertion') !== undefined;
    const { dataCenters } = gatehouse.config;
    const where = { at: requestDataCenter(request, dataCenters), dataCenters };
    const clientId = identified
      ? (await authenticateClient(params, basic, gatehouse.clientAuth, where.at.issuer, request.ip)).client.clientId
      : undefined;

    const revoked = await revokeToken(
      token,
      { ...gatehouse.lookup, events: gatehouse.events },
      { ...(hint ? { hint } : {}), ...(clientId ? { clientId } : {}), where },
    );
    if (revoked) {
      // Anyone holding a token may revoke it without authenticating (RFC 7009 allows it; Zoho's classic path does).
      const actor = clientId ? actors.client(clientId) : actors.anonymous;
      await gatehouse.audit.record({ actor, address: request.ip }, tokenRevokedEvent(revoked));
    }
    // RFC 7009 §2.2: an invalid token is answered 200, "since the client cannot handle such an error in a reasonable
    // way". Zoho answers 400 (spec §5); its style keeps that.
    if (!revoked && gatehouse.config.errorStyle === 'zoho')
      throw new OAuthError('invalid_token', 'token_invalid', 400, 'The token is not valid.');
    return { status: 'success' };
  };
  // Every method is routed here, so that any but POST is a 405 with `Allow: POST` rather than a 404.
  for (const url of ['/oauth/v2/token/revoke', '/oauth/v2/revoke/token']) {
    app.all(url, { config: { errorChannel: 'revocation' } }, async (request) => {
      if (request.method !== 'POST') throw methodNotAllowed('revocation endpoint');
      return handler(request);
    });
  }
}
