import type { FastifyInstance } from 'fastify';
import { CONSOLE_SCRIPT } from '../../ui/console-script.js';
import { STYLESHEET } from '../../ui/styles.js';

/** The pages' static files, kept in code so the build needs no asset copying. */
export function assetRoutes(app: FastifyInstance): void {
  const asset = (path: string, type: string, body: string) =>
    app.get(path, async (_request, reply) =>
      reply.type(type).headers({ 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).send(body),
    );
  asset('/assets/gatehouse.css', 'text/css; charset=utf-8', STYLESHEET);
  asset('/assets/console.js', 'text/javascript; charset=utf-8', CONSOLE_SCRIPT);
}
