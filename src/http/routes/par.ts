import type { FastifyInstance } from 'fastify';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { methodNotAllowed } from '../../core/errors/oauth-error.js';
import { pushAuthorizationRequest, type PushDeps } from '../../core/par/push.js';
import type { Gatehouse } from '../../gatehouse.js';
import { readBasicCredentials } from '../basic-auth.js';
import { authorizationCheckDeps } from '../browser/authorization-deps.js';
import { requestDataCenter } from '../data-center.js';
import { requestParams } from '../request-params.js';

/**
 * `POST /oauth/v2/par` (RFC 9126 §2): 201 with the request_uri the browser then brings to the authorization endpoint.
 * Errors are RFC 6749's JSON whatever the error style: no Zoho client calls it, and RFC 9126 clients read the status.
 * Every other method is a 405 with `Allow: POST`.
 */
export function parRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const deps: PushDeps = {
    clientAuth: gatehouse.clientAuth,
    checks: authorizationCheckDeps(gatehouse),
    rateLimiter: gatehouse.rateLimiter,
    config: gatehouse.config,
    pushedRequests: gatehouse.storage.pushedRequests,
    hasher: gatehouse.hasher,
    now: gatehouse.now,
  };
  app.all(ENDPOINT_PATHS.pushedAuthorizationRequest, { config: { errorChannel: 'standard' } }, async (request, reply) => {
    if (request.method !== 'POST') throw methodNotAllowed('pushed authorization request endpoint');
    const params = requestParams(request, gatehouse.config.maxParameterLength);
    const at = requestDataCenter(request, gatehouse.config.dataCenters);
    const pushed = await pushAuthorizationRequest(params, readBasicCredentials(request.headers.authorization), deps, at, request.ip);
    return reply.code(201).send(pushed);
  });
}
