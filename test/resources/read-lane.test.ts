import assert from 'node:assert/strict';
import { once } from 'node:events';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildHttpServer } from '../../src/http/server.js';
import { JSON_CONTENT_TYPE, ReadLane, type LaneRequestLog } from '../../src/resources/read-lane.js';
import { ApiClient } from './api-client.js';
import { Harness } from '../support/harness.js';
import { sqliteStore } from '../support/stores.js';

describe('the read lane in front of Fastify', () => {
  /** A lane with one route answering `/api/hit`, in front of a stand-in for Fastify that answers 418. */
  async function laneServer(log?: LaneRequestLog) {
    const lane = new ReadLane(log);
    lane.add('/api/', (rest, authorization) => {
      if (rest === 'broken') throw new Error('the store is closed');
      return rest === 'hit' && authorization === 'yes' ? '{"from":"lane"}' : undefined;
    });
    const server = createServer((_request, response) => {
      response.writeHead(418).end('fastify');
    });
    lane.install(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const ask = async (method: string, path: string, authorization = 'yes') => {
      const response = await fetch(base + path, { method, headers: { authorization } });
      return `${response.status} ${await response.text()}`;
    };
    return { lane, server, ask };
  }

  test('answers only GETs its route answers; everything else reaches Fastify untouched', async () => {
    const { server, ask, lane } = await laneServer();
    try {
      assert.equal(await ask('GET', '/api/hit'), '200 {"from":"lane"}');
      assert.equal(await ask('GET', '/api/hit', 'no'), '418 fastify', 'the route declined');
      assert.equal(await ask('POST', '/api/hit'), '418 fastify', 'not a GET');
      assert.equal(await ask('HEAD', '/api/hit'), '418 ', 'not a GET');
      assert.equal(await ask('GET', '/other/hit'), '418 fastify', 'no route for the prefix');
      assert.equal(await ask('GET', '/api/hit?x=1'), '418 fastify', 'the path is offered as sent');
      assert.equal(await ask('GET', '/api/broken'), '418 fastify', 'a route that fails leaves the request to Fastify');
      lane.close();
      assert.equal(await ask('GET', '/api/hit'), '418 fastify', 'closed');
    } finally {
      server.close();
    }
  });

  test('it goes in front of exactly one request listener, or refuses', () => {
    const server = createServer(() => {});
    server.on('request', () => {});
    assert.throws(() => new ReadLane().install(server), /one request listener/);
  });

  test('with a request log, it logs each request it answers, and no other', async () => {
    const logged: string[] = [];
    const { server, ask } = await laneServer((request, status, ms) => {
      assert.ok(ms >= 0);
      logged.push(`${request.method} ${request.url} ${status}`);
    });
    try {
      assert.equal(await ask('GET', '/api/hit'), '200 {"from":"lane"}');
      assert.equal(await ask('GET', '/api/hit', 'no'), '418 fastify');
      assert.deepEqual(logged, ['GET /api/hit 200']);
    } finally {
      server.close();
    }
  });
});

describe('the read lane on the sample APIs [sqlite]', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start(sqliteStore, { limits: { codeRate: null } });
  });
  after(() => h.close());

  /** A second server over the harness's Gatehouse, counting the requests that reach Fastify. */
  async function countingServer(options: Parameters<typeof buildHttpServer>[2] = {}) {
    const app: FastifyInstance = buildHttpServer(h.gatehouse, h.storage.records, options);
    const seen = { count: 0 };
    app.addHook('onRequest', (_request, _reply, done) => {
      seen.count++;
      done();
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    return { app, base, seen };
  }

  const read = async (url: string, token: string) => {
    const response = await fetch(url, { headers: { authorization: `Zoho-oauthtoken ${token}` } });
    const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
    return { status: response.status, headers, body: await response.text() };
  };

  test('a remembered record is answered without Fastify, with the very bytes Fastify sends', async () => {
    const { app, base, seen } = await countingServer();
    try {
      const api = await ApiClient.forScopes(h, 'ZohoCRM.modules.leads.READ,ZohoCRM.modules.leads.CREATE');
      const created = await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Lane', Email: 'lane@zylker.com' }] });
      const id = created.body!.data[0].details.id as string;

      const before = seen.count;
      const cold = await read(`${base}/crm/v8/Leads/${id}`, api.token);
      assert.equal(seen.count, before + 1, 'the first read loads the store, through Fastify');
      const warm = await read(`${base}/crm/v8/Leads/${id}`, api.token);
      assert.equal(seen.count, before + 1, 'the second is answered from memory, before Fastify');
      assert.deepEqual(warm, cold);
      assert.equal(warm.status, 200);
      assert.equal(warm.headers['content-type'], JSON_CONTENT_TYPE);
      assert.equal(JSON.parse(warm.body).data[0].Last_Name, 'Lane');

      // Module names in any case, as the route accepts them; a path the lane cannot read goes to Fastify.
      assert.deepEqual(await read(`${base}/crm/v8/leads/${id}`, api.token), cold);
      assert.equal(seen.count, before + 1);
      assert.deepEqual(await read(`${base}/crm/v8/Leads/${id}?fields=Email`, api.token), cold);
      assert.equal(seen.count, before + 2);
    } finally {
      await app.close();
    }
  });

  test('refusals and misses go through Fastify and say what is wrong; revocation is seen at once', async () => {
    const { app, base, seen } = await countingServer();
    try {
      const owner = await ApiClient.forScopes(h, 'ZohoCRM.modules.ALL');
      const id = (await owner.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Kept' }] })).body!.data[0].details.id as string;
      const url = `${base}/crm/v8/Leads/${id}`;
      for (let i = 0; i < 2; i++) assert.equal((await read(url, owner.token)).status, 200);
      const stranger = await ApiClient.forScopes(h, 'ZohoCRM.modules.ALL');
      const contactsOnly = await ApiClient.forScopes(h, 'ZohoCRM.modules.contacts.READ');
      for (let i = 0; i < 2; i++) {
        assert.equal((await read(url, stranger.token)).status, 204, "another user's record");
        assert.match((await read(url, contactsOnly.token)).body, /OAUTH_SCOPE_MISMATCH/);
        assert.match((await read(`${base}/crm/v8/Nope/${id}`, owner.token)).body, /INVALID_MODULE/);
        assert.match((await fetch(url)).status.toString(), /^401$/);
      }

      const before = seen.count;
      await h.post('/oauth/v2/token/revoke', { token: owner.token });
      const refused = await read(url, owner.token);
      assert.deepEqual([refused.status, JSON.parse(refused.body).code], [401, 'INVALID_TOKEN']);
      assert.match(refused.headers['www-authenticate'] ?? '', /error="invalid_token"/);
      assert.equal(seen.count, before + 1);
    } finally {
      await app.close();
    }
  });

  test('on localhost, every address the name stands for is served (IPv4 and IPv6 where both exist)', async () => {
    const app = buildHttpServer(h.gatehouse, h.storage.records);
    try {
      await app.listen({ port: 0, host: 'localhost' });
      const port = (app.server.address() as AddressInfo).port;
      const addresses = await lookup('localhost', { all: true });
      assert.ok(addresses.length > 0);
      for (const { address, family } of addresses) {
        const host = family === 6 ? `[${address}]` : address;
        assert.equal((await fetch(`http://${host}:${port}/healthz`)).status, 200, address);
      }
    } finally {
      await app.close();
    }
  });

  test('while requests are logged, the lane still answers and writes the line Fastify writes', async () => {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const { app, base, seen } = await countingServer({ logger: { level: 'info', stream } });
    try {
      const api = await ApiClient.forScopes(h, 'ZohoCRM.modules.ALL');
      const id = (await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Logged' }] })).body!.data[0].details.id as string;
      const fromFastify = await read(`${base}/crm/v8/Leads/${id}?fields=Last_Name`, api.token);
      assert.equal(fromFastify.status, 200);
      const before = seen.count;
      for (let i = 0; i < 3; i++) assert.equal((await read(`${base}/crm/v8/Leads/${id}`, api.token)).status, 200);
      assert.equal(seen.count, before, 'the warm reads were answered by the lane');

      const completed = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'request completed');
      const shape = (line: Record<string, any>) => ({
        level: line.level,
        req: line.req,
        res: line.res,
        timed: typeof line.responseTime === 'number',
      });
      const [fastifyLine, ...laneLines] = completed.slice(-4);
      assert.deepEqual(shape(fastifyLine!), {
        level: 30,
        req: { method: 'GET', path: `/crm/v8/Leads/${id}`, ip: '127.0.0.1' },
        res: { statusCode: 200 },
        timed: true,
      });
      assert.equal(laneLines.length, 3, 'one line for each request the lane answered');
      for (const line of laneLines) assert.deepEqual(shape(line), shape(fastifyLine!));
      assert.equal(lines.filter((line) => line.includes('incoming request')).length, 0, 'one line per request, not two');
    } finally {
      await app.close();
    }
  });
});
