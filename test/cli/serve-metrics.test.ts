import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseExposition, valueOf } from '../support/exposition.js';
import { gatehouseOk, serve } from './cli-runner.js';

/** `gatehouse serve` with its metrics: the store's too (cache, statements, commit groups), where the settings put them. */
describe('serve: Prometheus metrics', () => {
  let dir: string;
  let env: Record<string, string>;
  let form: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-metrics-'));
    env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'g.db')}` };
    const email = 'ann@example.com';
    await gatehouseOk(env, 'user', 'create', '--email', email, '--password', 'correct horse', '--first-name', 'Ann', '--last-name', 'Lee');
    const client = await gatehouseOk(env, 'client', 'create', '--owner', email, '--type', 'self');
    form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.client_id,
      client_secret: client.client_secret,
      scope: 'ZohoCRM.modules.ALL',
    }).toString();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const issue = async (base: string) => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    assert.equal((await fetch(`${base}/oauth/v2/token`, { method: 'POST', headers, body: form })).status, 200);
  };

  test('by default on the main port, with the store measured: cache lookups, statement times, commit groups', async () => {
    const server = await serve(env);
    try {
      for (let i = 0; i < 3; i++) await issue(server.info.url);
      const response = await fetch(`${server.info.url}/metrics`);
      assert.equal(response.status, 200);
      const samples = parseExposition(await response.text());
      assert.equal(valueOf(samples, 'gatehouse_tokens_issued_total', { grant: 'client_credentials', client_type: 'self' }), 3);
      assert.ok(
        valueOf(samples, 'gatehouse_read_cache_lookups_total', { result: 'hit' }) >= 2,
        'the client is read from memory after the first',
      );
      assert.ok(valueOf(samples, 'gatehouse_read_cache_lookups_total', { result: 'miss' }) >= 1);
      assert.ok(valueOf(samples, 'gatehouse_store_statement_duration_seconds_count') > 0);
      assert.ok(valueOf(samples, 'gatehouse_store_commit_group_size_sum') >= 3, 'each token is stored in a commit group');
      assert.equal(valueOf(samples, 'gatehouse_store_pool_connections'), 0, 'SQLite has no pool');
    } finally {
      await server.stop();
    }
  });

  test('GATEHOUSE_METRICS_PORT moves them to a listener of their own, and the main port no longer has them', async () => {
    const server = await serve({ ...env, GATEHOUSE_METRICS_PORT: '0' });
    assert.match(server.info.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    await issue(server.info.url);
    const samples = parseExposition(await (await fetch(server.info.metrics)).text());
    assert.equal(valueOf(samples, 'gatehouse_tokens_issued_total', { grant: 'client_credentials', client_type: 'self' }), 1);
    assert.equal((await fetch(`${server.info.url}/metrics`)).status, 404);
    assert.equal((await fetch(server.info.metrics.replace('/metrics', '/healthz'))).status, 404, 'nothing else on that port');
    await server.stop();
    assert.equal(await server.exited, 0, 'the listener closed with the server');
  });

  test('GATEHOUSE_METRICS=off: no /metrics anywhere', async () => {
    const server = await serve({ ...env, GATEHOUSE_METRICS: 'off', GATEHOUSE_METRICS_PORT: '0' });
    try {
      assert.equal(server.info.metrics, undefined);
      assert.equal((await fetch(`${server.info.url}/metrics`)).status, 404);
    } finally {
      await server.stop();
    }
  });
});
