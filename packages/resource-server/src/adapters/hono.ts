import { ResourceError } from '../errors.js';
import { guard } from '../guard.js';
import type { TokenInfo } from '../token-info.js';
import { challengeOf, type ProtectOptions } from './options.js';

/** The parts of Hono's context this middleware uses (no dependency on hono itself). */
interface HonoContextLike {
  req: { method: string; path: string; header(name: string): string | undefined };
  set(key: 'token', value: TokenInfo): void;
  json(body: unknown, status: 401, headers: Record<string, string>): Response;
}

/**
 * Hono middleware: `app.get('/leads', requireToken({ verify, scopes }), (c) => …)`. The verified token is
 * `c.get('token')` (type it with `new Hono<{ Variables: { token: TokenInfo } }>()`).
 */
export function requireToken(options: ProtectOptions) {
  return async (c: HonoContextLike, next: () => Promise<void>): Promise<Response | void> => {
    try {
      c.set(
        'token',
        await guard(
          {
            method: c.req.method,
            url: c.req.path,
            headers: { authorization: c.req.header('authorization'), dpop: c.req.header('dpop') },
          },
          options,
        ),
      );
    } catch (err) {
      if (!(err instanceof ResourceError)) throw err;
      return c.json(err.body(), err.status, { 'www-authenticate': challengeOf(err, options) });
    }
    await next();
  };
}
