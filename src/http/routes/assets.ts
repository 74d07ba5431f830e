import type { FastifyInstance } from 'fastify';
import { STYLESHEET } from '../../ui/styles.js';

export function assetRoutes(app: FastifyInstance): void {
  app.get('/assets/gatehouse.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
}
