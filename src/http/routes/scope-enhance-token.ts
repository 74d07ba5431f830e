import type { FastifyInstance } from 'fastify';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { methodNotAllowed } from '../../core/errors/oauth-error.js';
import { issueEnhancementToken } from '../../core/incremental/enhancement-token.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * `POST /oauth/v2/token/scopeenhance` (spec §8, step 1). A token-endpoint sibling: the same parameter rules, client
 * authentication and error style; any other method is refused as the token endpoint refuses it.
 */
export function scopeEnhanceTokenRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.all(ENDPOINT_PATHS.scopeEnhanceToken, { config: { errorChannel: 'token' } }, async (request) => {
    if (request.method !== 'POST') throw methodNotAllowed('scope enhancement endpoint');
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    const at = requestDataCenter(request, gatehouse.config.dataCenters);
    return issueEnhancementToken(params, readBasicCredentials(request.headers.authorization), gatehouse, at, request.ip);
  });
}
