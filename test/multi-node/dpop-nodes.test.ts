import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openGatehouse } from '../../src/cli/context.js';
import { loadSettings } from '../../src/cli/settings.js';
import { registerClient } from '../../src/core/clients/register-client.js';
import { createUser } from '../../src/core/users/create-user.js';
import type { Gatehouse } from '../../src/gatehouse.js';
import { buildHttpServer } from '../../src/http/server.js';
import { DpopKey } from '../support/dpop-key.js';
import { REDIS_URL, unavailable } from '../support/services.js';

const ISSUER = 'http://gatehouse.test';

/**
 * Two Gatehouse nodes as `serve` opens them from the same settings (one database, one Redis, one secret key): a nonce
 * one node issues is honoured by the other with nothing shared, and a proof used at one node is refused at the other.
 */
describe('DPoP across two nodes sharing Redis', async () => {
  const skip = await unavailable('Redis');
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-dpop-'));
  const settings = loadSettings({
    GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`,
    GATEHOUSE_REDIS_URL: REDIS_URL,
    GATEHOUSE_SECRET_KEY: randomBytes(32).toString('base64'),
    GATEHOUSE_ISSUER: ISSUER,
  });
  const nodes: Array<{ url: string; app: FastifyInstance; gatehouse: Gatehouse; close(): Promise<void> }> = [];
  before(async () => {
    if (skip) return;
    for (let i = 0; i < 2; i++) {
      const opened = await openGatehouse(settings, 'creates');
      const app = buildHttpServer(opened.gatehouse, opened.records);
      await app.listen({ port: 0, host: '127.0.0.1' });
      const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      nodes.push({ url, app, gatehouse: opened.gatehouse, close: opened.close });
    }
  });
  after(async () => {
    for (const node of nodes) {
      await node.app.close();
      await node.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('a nonce from one node works at the other; a proof used at one node is refused at the other', { skip }, async () => {
    const [a, b] = nodes;
    const { storage, hasher } = a!.gatehouse;
    const owner = await createUser(
      { email: `dpop-${Date.now()}@example.com`, password: 'correct horse battery', firstName: 'Ann', lastName: 'Lee', isAdmin: false },
      { users: storage.users, now: Date.now },
    );
    const { client, clientSecret } = await registerClient(
      { ownerZuid: owner.zuid, type: 'self' },
      { users: storage.users, clients: storage.clients, hasher, now: Date.now },
    );
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: clientSecret!,
      scope: 'ZohoCRM.modules.ALL',
    });
    const key = await DpopKey.generate();
    const post = async (node: { url: string }, proof: string) => {
      const response = await fetch(`${node.url}/oauth/v2/token`, { method: 'POST', body: form, headers: { dpop: proof } });
      return {
        status: response.status,
        nonce: response.headers.get('dpop-nonce'),
        body: (await response.json()) as Record<string, string>,
      };
    };
    const htu = `${ISSUER}/oauth/v2/token`;
    const asked = await post(a!, await key.proof({ htm: 'POST', htu }));
    assert.equal(asked.body.error, 'use_dpop_nonce');
    const proof = await key.proof({ htm: 'POST', htu, nonce: asked.nonce! });
    const atB = await post(b!, proof);
    assert.deepEqual([atB.status, atB.body.token_type], [200, 'DPoP'], "node A's nonce is node B's");
    const replayedAtA = await post(a!, proof);
    assert.deepEqual([replayedAtA.status, replayedAtA.body.error], [400, 'invalid_dpop_proof']);
  });
});
