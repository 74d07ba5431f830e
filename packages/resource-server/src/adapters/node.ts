import type { IncomingMessage, ServerResponse } from 'node:http';
import { ResourceError } from '../errors.js';
import { guard } from '../guard.js';
import type { TokenInfo } from '../token-info.js';
import { challengeOf, type ProtectOptions } from './options.js';

/**
 * For plain `node:http`: `const token = await check(req, res); if (!token) return;`. On refusal it has already
 * answered with Zoho's error and the challenge.
 */
export function protect(options: ProtectOptions): (request: IncomingMessage, response: ServerResponse) => Promise<TokenInfo | undefined> {
  return async (request, response) => {
    try {
      return await guard({ method: request.method!, url: request.url!, headers: request.headers }, options);
    } catch (err) {
      if (!(err instanceof ResourceError)) throw err;
      response.writeHead(err.status, { 'content-type': 'application/json', 'www-authenticate': challengeOf(err, options) });
      response.end(JSON.stringify(err.body()));
      return undefined;
    }
  };
}
