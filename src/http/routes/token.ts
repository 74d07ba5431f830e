import type { FastifyInstance } from 'fastify';
import { invalidRequest } from '../../core/errors/oauth-error.js';
import { handleTokenRequest } from '../../core/token-endpoint.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { requestParams } from '../request-params.js';

/** Serialised by fast-json-stringify: the token endpoint is the hot path. */
const tokenResponseSchema = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    refresh_token: { type: 'string' },
    scope: { type: 'string' },
    api_domain: { type: 'string' },
    token_type: { type: 'string' },
    expires_in: { type: 'integer' },
    id_token: { type: 'string' },
  },
  required: ['access_token', 'scope', 'api_domain', 'token_type', 'expires_in'],
} as const;

/** `POST /oauth/v2/token` (RFC 6749 §3.2, spec §3). Any other method is a 400, as Zoho answers (spec §3.0). */
export function tokenRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.all('/oauth/v2/token', { config: { errorChannel: 'token' }, schema: { response: { 200: tokenResponseSchema } } }, async (request) => {
    if (request.method !== 'POST') throw invalidRequest('method_not_allowed', 'The token endpoint accepts POST requests only.');
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    return handleTokenRequest(params, readBasicCredentials(request.headers.authorization), gatehouse.grants, gatehouse);
  });
}
