import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gatehouseOk } from '../cli/cli-runner.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { clusterUnavailable, startCluster, type Cluster } from '../support/cluster.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';

/**
 * Pushed authorization requests across two real nodes over one PostgreSQL schema: a request_uri pushed to one node is
 * used at the other, and of two browsers bringing the same one to both nodes at once, exactly one goes on.
 */
describe('pushed authorization requests across two nodes (PostgreSQL + Redis)', async () => {
  const skip = await clusterUnavailable();
  if (skip) {
    describe('skipped', { skip }, () => {});
    return;
  }
  const email = `par-${randomBytes(4).toString('hex')}@example.com`;
  let cluster: Cluster | undefined;
  let client: { client_id: string; client_secret: string };

  before(async () => {
    cluster = await startCluster(2, {
      prepare: async (env) => {
        await gatehouseOk(env, 'user', 'create', '--email', email, '--password', PASSWORD, '--first-name', 'Ann', '--last-name', 'Lee');
        client = (await gatehouseOk(
          env,
          'client',
          'create',
          '--owner',
          email,
          '--type',
          'server',
          '--name',
          'Pushing',
          '--homepage',
          'https://app.example.com',
          '--redirect-uri',
          REDIRECT,
          '--require-par',
        )) as typeof client;
      },
    });
  });
  after(async () => {
    await cluster?.stop();
  });

  const push = async (nodeUrl: string): Promise<string> => {
    const response = await fetch(`${nodeUrl}/oauth/v2/par`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: client.client_id,
        client_secret: client.client_secret,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'ZohoCRM.modules.ALL',
        state: 'across',
        code_challenge: createHash('sha256').update('v'.repeat(43)).digest('base64url'),
        code_challenge_method: 'S256',
      }),
    });
    assert.equal(response.status, 201);
    return ((await response.json()) as { request_uri: string }).request_uri;
  };

  const signedInAt = async (nodeUrl: string): Promise<BrowserAgent> => {
    const agent = new BrowserAgent(nodeUrl, { 'x-forwarded-for': `198.51.100.${1 + Math.floor(Math.random() * 200)}` });
    assert.equal((await agent.signIn(email, PASSWORD)).status, 303);
    return agent;
  };

  test('pushed at one node, used at the other; the same request_uri at both nodes at once goes on once', async () => {
    const [a, b] = cluster!.nodes;
    const useUrl = (requestUri: string) =>
      `/oauth/v2/auth?${new URLSearchParams({ client_id: client.client_id, request_uri: requestUri })}`;

    const atB = await signedInAt(b!.url);
    const back = await atB.consentTo(useUrl(await push(a!.url)));
    assert.equal(back.searchParams.get('state'), 'across');
    assert.ok(back.searchParams.get('code'));

    const atA = await signedInAt(a!.url);
    const url = useUrl(await push(b!.url));
    const pages = await Promise.all([atA.get(url), atB.get(url)]);
    // The user consented above, so the winner goes straight back to the client with a code.
    assert.deepEqual(pages.map((p) => p.status).sort(), [303, 400]);
    assert.ok(pages.find((p) => p.status === 303)!.location!.startsWith(`${REDIRECT}?code=`));
    assert.match(pages.find((p) => p.status === 400)!.body, /invalid_request_uri/);
  });
});
