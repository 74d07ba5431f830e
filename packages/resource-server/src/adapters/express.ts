import type { IncomingHttpHeaders } from 'node:http';
import { ResourceError } from '../errors.js';
import { guard } from '../guard.js';
import { challengeOf, type ProtectOptions } from './options.js';

/** The parts of Express's request and response this middleware uses (no dependency on express itself). */
interface ExpressRequest {
  method: string;
  /** The path as the client sent it, before any router's mount point was taken off. */
  originalUrl: string;
  headers: IncomingHttpHeaders;
}
interface ExpressResponse {
  locals: Record<string, unknown>;
  status(code: number): ExpressResponse;
  set(field: string, value: string): ExpressResponse;
  json(body: unknown): unknown;
}

/**
 * Express middleware: `app.get('/leads', requireToken({ verify, scopes: ['ZohoCRM.modules.leads.READ'] }), handler)`.
 * The verified token is `res.locals.token`.
 */
export function requireToken(options: ProtectOptions) {
  return (request: ExpressRequest, response: ExpressResponse, next: (err?: unknown) => void): void => {
    guard({ method: request.method, url: request.originalUrl, headers: request.headers }, options).then(
      (token) => {
        response.locals.token = token;
        next();
      },
      (err: unknown) => {
        if (!(err instanceof ResourceError)) return next(err);
        response.status(err.status).set('www-authenticate', challengeOf(err, options)).json(err.body());
      },
    );
  };
}
