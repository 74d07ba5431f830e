import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import { gatehouseOk, serve } from '../cli/cli-runner.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { POSTGRES_URL, REDIS_URL, unavailable } from '../support/services.js';
import { adminQuery } from '../support/stores.js';
import { newAddress } from './deployments.js';

/**
 * Two real Gatehouse processes over one PostgreSQL schema and one Redis, as an operator runs them behind a balancer: a
 * limit holds for the deployment, not per node, when the guesses are split between the nodes.
 */
describe('hostile: parallel guesses split across two nodes (PostgreSQL + Redis)', async () => {
  const skip = (await unavailable('PostgreSQL')) || (await unavailable('Redis'));
  if (skip) {
    describe('skipped', { skip }, () => {});
    return;
  }
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  const database = new URL(POSTGRES_URL);
  database.searchParams.set('options', `-c search_path=${schema}`);
  const env = {
    GATEHOUSE_DATABASE_URL: database.toString(),
    GATEHOUSE_REDIS_URL: REDIS_URL,
    GATEHOUSE_SECRET_KEY: randomBytes(32).toString('base64url'),
    GATEHOUSE_ISSUER: 'http://gatehouse.test',
    GATEHOUSE_TRUST_PROXY: '127.0.0.1',
    GATEHOUSE_LOG_LEVEL: 'warn',
  };
  const email = `multi-${randomBytes(4).toString('hex')}@example.com`;
  let nodes: Array<Awaited<ReturnType<typeof serve>>> = [];

  before(async () => {
    await adminQuery(`create schema ${schema}`);
    await gatehouseOk(
      env,
      'user',
      'create',
      '--email',
      email,
      '--password',
      'correct horse battery',
      '--first-name',
      'Ann',
      '--last-name',
      'Lee',
    );
    nodes = await Promise.all([serve(env), serve(env)]);
  });
  after(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await adminQuery(`drop schema if exists ${schema} cascade`);
  });

  test('40 parallel wrong passwords, half to each node, check at most 5', async () => {
    const address = newAddress();
    const forms = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const agent = new BrowserAgent(nodes[i % 2]!.info.url, { 'x-forwarded-for': address });
        return { agent, csrf: (await agent.get('/signin')).field('csrf') };
      }),
    );
    const results = await Promise.all(
      forms.map(({ agent, csrf }) => agent.post('/signin', { csrf, email, password: 'wrong horse battery' })),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s !== 429).length, SIGN_IN_LIMITS.perAccount.count, JSON.stringify(statuses));
    // Either node now refuses the right password.
    for (const node of nodes) {
      const agent = new BrowserAgent(node.info.url, { 'x-forwarded-for': newAddress() });
      assert.equal((await agent.signIn(email, 'correct horse battery')).status, 429);
    }
  });
});
