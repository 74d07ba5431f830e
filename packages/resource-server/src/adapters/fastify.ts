import type { IncomingHttpHeaders } from 'node:http';
import { ResourceError } from '../errors.js';
import { guard } from '../guard.js';
import type { TokenInfo } from '../token-info.js';
import { challengeOf, type ProtectOptions } from './options.js';

/** The parts of Fastify's request and reply this hook uses (no dependency on fastify itself). */
interface FastifyRequestLike {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  token?: TokenInfo;
}
interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: unknown): unknown;
}

/**
 * A Fastify `preHandler`: `app.get('/leads', { preHandler: requireToken({ verify, scopes }) }, handler)`. The verified
 * token is `request.token` (declare it with `app.decorateRequest('token', null)`).
 */
export function requireToken(options: ProtectOptions) {
  return async (request: FastifyRequestLike, reply: FastifyReplyLike): Promise<void> => {
    try {
      request.token = await guard(request, options);
    } catch (err) {
      if (!(err instanceof ResourceError)) throw err;
      await reply.code(err.status).header('www-authenticate', challengeOf(err, options)).send(err.body());
    }
  };
}
