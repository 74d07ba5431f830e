import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import type { ProtectOptions, TokenInfo } from '@gatehouse/resource-server';
import { requireToken as expressToken } from '@gatehouse/resource-server/express';
import { requireToken as fastifyToken } from '@gatehouse/resource-server/fastify';
import { requireToken as honoToken } from '@gatehouse/resource-server/hono';
import { protect } from '@gatehouse/resource-server/node';

/** A tiny protected API (GET /leads answers the token's subject), one per framework, on a free port. */
export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

export type ApiFactory = (options: ProtectOptions) => Promise<RunningApi>;

const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const closing = (server: Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

async function listen(server: Server): Promise<RunningApi> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: urlOf(server), close: closing(server) };
}

export const API_FACTORIES: Record<string, ApiFactory> = {
  'node:http': async (options) => {
    const check = protect(options);
    return listen(
      createServer(async (request, response) => {
        const token = await check(request, response);
        if (!token) return;
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ subject: token.subject }));
      }),
    );
  },
  express: async (options) => {
    const app = express();
    app.get('/leads', expressToken(options), (_request, response) => {
      response.json({ subject: (response.locals.token as TokenInfo).subject });
    });
    return listen(createServer(app));
  },
  fastify: async (options) => {
    const app = Fastify();
    app.decorateRequest('token', undefined);
    app.get('/leads', { preHandler: fastifyToken(options) }, async (request) => ({
      subject: (request as unknown as { token: TokenInfo }).token.subject,
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return { url: urlOf(app.server), close: () => app.close() };
  },
  hono: async (options) => {
    const app = new Hono<{ Variables: { token: TokenInfo } }>();
    app.get('/leads', honoToken(options), (c) => c.json({ subject: c.get('token').subject }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await once(server, 'listening');
    return { url: urlOf(server), close: closing(server) };
  },
};
