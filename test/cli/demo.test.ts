import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouse, gatehouseOk, serve } from './cli-runner.js';

const MODULES = ['crm.Leads', 'crm.Contacts', 'crm.Deals', 'fsm.Requests', 'fsm.Estimates', 'fsm.Work_Orders'];

describe('gatehouse demo', () => {
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
    env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'g.db')}` };
    await gatehouseOk(
      env,
      'user',
      'create',
      '--email',
      'ann@example.com',
      '--password',
      'correct horse',
      '--first-name',
      'Ann',
      '--last-name',
      'Lee',
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('gives a user sample records in every module, readable through the sample APIs; a second run adds none', async () => {
    const first = await gatehouseOk(env, 'demo', '--email', 'ann@example.com');
    assert.deepEqual(first.created, Object.fromEntries(MODULES.map((m) => [m, 3])));
    const second = await gatehouseOk(env, 'demo', '--email', 'ann@example.com');
    assert.deepEqual(second.created, Object.fromEntries(MODULES.map((m) => [m, 0])));

    const client = await gatehouseOk(env, 'client', 'create', '--owner', 'ann@example.com', '--type', 'self');
    const server = await serve(env);
    try {
      const issued = await fetch(`${server.info.url}/oauth/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.client_id,
          client_secret: client.client_secret,
          scope: 'ZohoCRM.modules.ALL,ZohoFSM.modules.ALL',
        }),
      });
      const { access_token } = (await issued.json()) as { access_token: string };
      const get = (path: string) => fetch(`${server.info.url}${path}`, { headers: { authorization: `Zoho-oauthtoken ${access_token}` } });

      // CRM's list calls name their fields (the README's examples do).
      assert.equal((await get('/crm/v8/Leads')).status, 400);
      const leads = (await (await get('/crm/v8/Leads?fields=Last_Name,Company')).json()) as { data: Array<Record<string, unknown>> };
      assert.deepEqual(leads.data.map((r) => r.Company).sort(), ['Becker Tools', 'Lopez Bakery', 'Tanaka Design']);
      for (const path of [
        '/crm/v8/Contacts?fields=Last_Name',
        '/crm/v8/Deals?fields=Deal_Name',
        '/fsm/v1/Requests',
        '/fsm/v1/Estimates',
        '/fsm/v1/Work_Orders',
      ]) {
        const body = (await (await get(path)).json()) as { data: unknown[] };
        assert.equal(body.data.length, 3, path);
      }
    } finally {
      await server.stop();
    }
  });

  test('an unknown user is reported and nothing is made', async () => {
    const result = await gatehouse(env, 'demo', '--email', 'nobody@example.com');
    assert.equal(result.code, 1);
    assert.equal(result.json.error.code, 'user.not_found');
  });
});
