import type { FastifyInstance } from 'fastify';
import { ManagementError } from '../core/errors/management-error.js';

/**
 * A path parameter holding a NUL character (`/clients/%00`) names nothing that can exist: no client ID or ZUID has
 * one, and PostgreSQL cannot even compare one with text (it fails the query). Such a request is a 404 before any
 * lookup, through the group's own error exit.
 */
export function refuseNulInPathParameters(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const params = request.params as Record<string, string> | undefined;
    for (const name in params) {
      if (params[name]!.includes('\u0000')) return done(new ManagementError('route.not_found', 'Nothing is found at this address.', 404));
    }
    done();
  });
}
