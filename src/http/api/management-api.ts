import cookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DeveloperConsole } from '../../core/console/developer-console.js';
import { ManagementError } from '../../core/errors/management-error.js';
import type { Gatehouse } from '../../gatehouse.js';
import { browserContext } from '../browser/browser-context.js';
import { refuseNulInPathParameters } from '../path-params.js';
import { apiSignIn } from './api-caller.js';
import type { ApiRouteDeps } from './api-routes.js';
import { auditEventRoutes } from './audit-events.js';
import { clientRoutes } from './clients.js';
import { userRoutes } from './users.js';

/**
 * The developer console's JSON API (`/api/v1`), shared by the console pages and scripts. Signed-in users manage their
 * own clients; state-changing calls carry the `X-CSRF-Token` header the pages embed. Scripts use an administrator's
 * API token instead (`gatehouse api-token create`). Errors are management errors
 * (`{"code":"client.redirect_uri_invalid","message":…,"field":…}`), never OAuth ones, and validation is the same code
 * the CLI uses. One route module per resource; this registers them behind the API's shared handling.
 */
export function managementApi(app: FastifyInstance, gatehouse: Gatehouse): void {
  app.register(
    async (api) => {
      api.register(cookie);
      api.setErrorHandler(managementErrorHandler);
      refuseNulInPathParameters(api);
      api.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'route.not_found', message: 'No such API route.' }));
      api.addHook('onRequest', async (_request, reply) => {
        reply.headers({ 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      });
      const deps: ApiRouteDeps = {
        gatehouse,
        developerConsole: new DeveloperConsole(gatehouse),
        signedIn: apiSignIn(gatehouse, browserContext(gatehouse)),
      };
      clientRoutes(api, deps);
      userRoutes(api, deps);
      auditEventRoutes(api, deps);
    },
    { prefix: '/api/v1' },
  );
}

/** The API's one error exit: management errors as they are, request errors as `request.invalid`, the rest hidden. */
function managementErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof ManagementError) return reply.code(error.status).send(error.toJSON());
  if (typeof error.statusCode === 'number' && error.statusCode < 500) {
    return reply.code(400).send({ code: 'request.invalid', message: 'The request could not be read (send JSON).' });
  }
  request.log.error({ err: error }, 'management API failed');
  return reply.code(500).send({ code: 'internal', message: 'The server could not complete the request.' });
}
