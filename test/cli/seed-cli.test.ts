import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EXAMPLE_SEED_PATH, exampleSeed } from '../seed/seed-cases.js';
import { gatehouse, gatehouseOk, gatehouseRaw, serve } from './cli-runner.js';
import { CLI_STORES } from './cli-stores.js';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-seed-'));
function seedFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** The example with a new user and two mistakes in it. */
function badSeed(): string {
  const seed = exampleSeed();
  seed.users.push({ email: 'new-in-bad-file@example.com', first_name: 'New', last_name: 'User', password: 'long enough password' });
  seed.clients[1].redirect_uris = ['http://127.0.0.1:3000/callback', 'https://example.com/cb#fragment'];
  seed.consents[0].user = 'nobody@example.com';
  return seedFile('bad.json', seed);
}

for (const store of CLI_STORES) {
  describe(`gatehouse seed and GATEHOUSE_SEED_FILE [${store.name}]`, async () => {
    const skip = await store.skip();
    if (skip) {
      describe('skipped', { skip }, () => {});
      return;
    }
    const databases: Array<{ url: string; dispose(): Promise<void> }> = [];
    const freshEnv = async () => {
      const db = await store.create();
      databases.push(db);
      return { GATEHOUSE_DATABASE_URL: db.url };
    };
    let env: Record<string, string>;
    before(async () => {
      env = await freshEnv();
    });
    after(() => Promise.all(databases.map((db) => db.dispose())));

    test('gatehouse seed applies the example on an empty database; run again, it reports every entry unchanged', async () => {
      const first = await gatehouseOk(env, 'seed', '--file', EXAMPLE_SEED_PATH);
      assert.equal(first.changed, true);
      assert.deepEqual(first.counts.clients, { created: 5, updated: 0, unchanged: 0 });
      const second = await gatehouseOk(env, 'seed', '--file', EXAMPLE_SEED_PATH);
      assert.equal(second.changed, false);
      assert.deepEqual(second.counts.users, { created: 0, updated: 0, unchanged: 3 });
      assert.deepEqual(second.counts.records, { created: 0, updated: 0, unchanged: 3 });
      const text = await gatehouseRaw(env, ['seed', '--file', EXAMPLE_SEED_PATH]);
      assert.equal(text.code, 0);
      assert.match(text.stdout, /nothing changed/);
      assert.match(text.stdout, /clients: +0 created, 0 updated, 5 unchanged/);
    });

    test('a file with problems: exit code 1, each problem on its own line with its JSON path, nothing written', async () => {
      const file = badSeed();
      const failed = await gatehouse(env, 'seed', '--file', file);
      assert.equal(failed.code, 1);
      assert.deepEqual(
        failed.json.error.errors.map((e: { field: string }) => e.field),
        ['$.clients[1].redirect_uris[1]', '$.consents[0].user'],
      );
      const text = await gatehouseRaw(env, ['seed', '--file', file]);
      assert.equal(text.code, 1);
      assert.match(text.stderr, /2 problems:\n {2}\$\.clients\[1\]\.redirect_uris\[1\]: Enter a valid redirect URI.*fragment/);
      assert.match(text.stderr, /\n {2}\$\.consents\[0\]\.user: no user has this email, in the file or in the database/);
      const users = await gatehouseOk(env, 'user', 'list');
      assert.ok(!JSON.stringify(users).includes('new-in-bad-file@example.com'), 'the valid new user was not created either');

      const missing = await gatehouse(env, 'seed', '--file', join(dir, 'absent.json'));
      assert.deepEqual([missing.code, missing.json.error.code], [1, 'seed.file_unreadable']);
      const notJson = await gatehouse(env, 'seed', '--file', seedFile('broken.json', '{"users": [\n  { "password": "s3cret-value" ]'));
      assert.deepEqual([notJson.code, notJson.json.error.code], [1, 'seed.json_invalid']);
      assert.match(notJson.json.error.message, /is not valid JSON at line 2, column \d+\.$/);
      assert.doesNotMatch(notJson.stderr, /s3cret-value/, 'the parser quotes the text around the mistake; none of it is printed');
      const noFile = await gatehouseRaw(env, ['seed']);
      assert.equal(noFile.code, 2, 'without --file it is a usage error');
    });

    test('serve applies GATEHOUSE_SEED_FILE before it listens: the fixed credentials work at once', async () => {
      const served = await serve({ ...(await freshEnv()), GATEHOUSE_SEED_FILE: EXAMPLE_SEED_PATH });
      try {
        assert.deepEqual(served.info.seed.counts.refresh_tokens, { created: 1, updated: 0, unchanged: 0 });
        assert.equal(served.info.admin, undefined, 'the seed made the users: no first admin is invented');
        const seed = exampleSeed();
        const self = seed.clients[0];
        const post = (form: Record<string, string>) =>
          fetch(`${served.info.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams(form) });
        const cc = await post({
          grant_type: 'client_credentials',
          client_id: self.client_id,
          client_secret: self.client_secret,
          scope: 'ZohoCRM.modules.ALL',
        });
        assert.equal(cc.status, 200, await cc.clone().text());
        const refreshed = await post({
          grant_type: 'refresh_token',
          client_id: self.client_id,
          client_secret: self.client_secret,
          refresh_token: seed.refresh_tokens[0].token,
        });
        const { access_token } = (await refreshed.json()) as { access_token: string };
        const lead = await fetch(`${served.info.url}/crm/v8/Leads/${seed.records[0].id}`, {
          headers: { authorization: `Zoho-oauthtoken ${access_token}` },
        });
        assert.equal(lead.status, 200);
        assert.equal(((await lead.json()) as { data: Array<{ Company: string }> }).data[0]!.Company, 'Tanaka Design');
      } finally {
        await served.stop();
      }
    });

    test('serve with a seed file that has a problem does not start: exit code 1, the problem named', async () => {
      const result = await gatehouseRaw({ ...env, PORT: '0', HOST: '127.0.0.1', GATEHOUSE_SEED_FILE: badSeed() }, ['serve']);
      assert.equal(result.code, 1);
      assert.match(result.stderr, /GATEHOUSE_SEED_FILE \(.*bad\.json\): \$\.clients\[1\]\.redirect_uris\[1\]/);
      assert.doesNotMatch(result.stdout, /serving/);
    });
  });
}
