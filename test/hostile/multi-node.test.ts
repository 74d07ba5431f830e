import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import { gatehouseOk } from '../cli/cli-runner.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { clusterUnavailable, startCluster, type Cluster, type ClusterNode } from '../support/cluster.js';
import { newAddress } from './deployments.js';

/**
 * Two real Gatehouse processes over one PostgreSQL schema and one Redis, as an operator runs them behind a balancer: a
 * limit holds for the deployment, not per node, when the guesses are split between the nodes.
 */
describe('hostile: parallel guesses split across two nodes (PostgreSQL + Redis)', async () => {
  const skip = await clusterUnavailable();
  if (skip) {
    describe('skipped', { skip }, () => {});
    return;
  }
  const email = `multi-${randomBytes(4).toString('hex')}@example.com`;
  let cluster: Cluster | undefined;
  let nodes: ClusterNode[] = [];

  before(async () => {
    cluster = await startCluster(2, {
      prepare: async (env) => {
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
      },
    });
    nodes = cluster.nodes;
  });
  after(async () => {
    await cluster?.stop();
  });

  test('40 parallel wrong passwords, half to each node, check at most 5', async () => {
    const address = newAddress();
    const forms = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const agent = new BrowserAgent(nodes[i % 2]!.url, { 'x-forwarded-for': address });
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
      const agent = new BrowserAgent(node.url, { 'x-forwarded-for': newAddress() });
      assert.equal((await agent.signIn(email, 'correct horse battery')).status, 429);
    }
  });
});
