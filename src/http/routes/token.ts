import type { FastifyInstance } from 'fastify';
import { methodNotAllowed } from '../../core/errors/oauth-error.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { handleTokenRequest } from '../../core/token-endpoint.js';
import { TOKEN_RESPONSE_FIELDS } from '../../core/tokens/token-response.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { offerNextNonce, presentedProof } from '../dpop-proof.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * Serialised by fast-json-stringify (the token endpoint is the hot path), which writes only the fields named here: the
 * schema comes from the same table the ZEST export documents.
 */
const tokenResponseSchema = {
  type: 'object',
  properties: Object.fromEntries(Object.entries(TOKEN_RESPONSE_FIELDS).map(([name, field]) => [name, { type: field.type }])),
  required: Object.entries(TOKEN_RESPONSE_FIELDS)
    .filter(([, field]) => field.always)
    .map(([name]) => name),
};

/**
 * `POST /oauth/v2/token` (RFC 6749 §3.2, spec §3). Registered for every method so that any other is a 405 with
 * `Allow: POST` (Zoho answers 400, spec §3.0; a newcomer's `curl` GET deserves the plain HTTP answer).
 */
export function tokenRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.all(
    ENDPOINT_PATHS.token,
    { config: { errorChannel: 'token' }, schema: { response: { 200: tokenResponseSchema } } },
    async (request, reply) => {
      if (request.method !== 'POST') throw methodNotAllowed('token endpoint');
      const params = requestParams(request, gatehouse.config.maxParameterLength);
      const at = requestDataCenter(request, gatehouse.config.dataCenters);
      // The proof names the URL it was sent to: this DC's accounts server.
      const proof = presentedProof(request, at.issuer, ENDPOINT_PATHS.token);
      const basic = readBasicCredentials(request.headers.authorization);
      const response = await handleTokenRequest(params, basic, gatehouse.grants, gatehouse, at, proof, request.ip);
      if (proof) offerNextNonce(reply, gatehouse.dpop);
      return response;
    },
  );
}
