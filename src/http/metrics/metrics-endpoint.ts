import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { GatehouseMetrics } from './gatehouse-metrics.js';

/**
 * `GET /metrics` on the main server. Scraped every few seconds: its request lines are left out at the default level,
 * as /readyz's are. Anyone who reaches the port can read it (counts, no secrets); see the README on keeping it private.
 */
export function metricsRoute(app: FastifyInstance, metrics: GatehouseMetrics): void {
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    const { text, contentType } = await metrics.scrape();
    return reply.type(contentType).header('cache-control', 'no-store').send(text);
  });
}

/**
 * `GET /metrics` on a listener of its own (`GATEHOUSE_METRICS_PORT`), so that it can be bound to a private interface
 * or kept behind a firewall apart from the public port. It answers nothing else.
 */
export async function listenForMetrics(metrics: GatehouseMetrics, port: number, host: string): Promise<Server> {
  const server = createServer((request, response) => {
    if (request.url?.split('?')[0] !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found: only /metrics is served here.\n');
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('Method not allowed.\n');
    } else {
      metrics.scrape().then(
        ({ text, contentType }) => response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(text),
        () => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The metrics could not be collected.\n'),
      );
    }
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

/** Where a metrics listener answers (with the port the OS chose, for port 0). */
export function metricsUrl(server: Server): string {
  const { address, family, port } = server.address() as AddressInfo;
  return `http://${family === 'IPv6' ? `[${address}]` : address}:${port}/metrics`;
}

/** Stops listening and ends the scrapers' kept-alive connections (a scrape is short; none is left unanswered). */
export async function closeMetricsListener(server: Server): Promise<void> {
  const closed = once(server, 'close');
  server.close();
  server.closeIdleConnections();
  await closed;
}
