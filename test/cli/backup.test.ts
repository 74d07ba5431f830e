import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { gatehouse, gatehouseOk, gatehouseRaw, serve } from './cli-runner.js';

describe('gatehouse backup', () => {
  let dir: string;
  let env: Record<string, string>;
  let self: { clientId: string; clientSecret: string };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-backup-'));
    env = {
      GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'live.db')}`,
      GATEHOUSE_SECRET_KEY: randomBytes(32).toString('base64'),
      // Hundreds of client_credentials tokens for one pair: nothing may evict the ones under test.
      GATEHOUSE_LIMIT_ACCESS_TOKENS: 'off',
    };
    const email = 'ann@example.com';
    await gatehouseOk(env, 'user', 'create', '--email', email, '--password', 'correct horse', '--first-name', 'Ann', '--last-name', 'Lee');
    const client = await gatehouseOk(env, 'client', 'create', '--owner', email, '--type', 'self');
    self = { clientId: client.client_id, clientSecret: client.client_secret };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function issueToken(url: string): Promise<string> {
    const response = await fetch(`${url}/oauth/v2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: self.clientId,
        client_secret: self.clientSecret,
        scope: 'ZohoCRM.modules.ALL',
      }),
    });
    assert.equal(response.status, 200);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  async function introspect(url: string, token: string): Promise<{ active: boolean }> {
    const response = await fetch(`${url}/oauth/v2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: self.clientId, client_secret: self.clientSecret }),
    });
    assert.equal(response.status, 200);
    return (await response.json()) as { active: boolean };
  }

  test('copies the database while a server issues tokens; a server started on the copy knows the tokens issued before', async () => {
    const out = join(dir, 'copy.db');
    const server = await serve(env);
    let issuedBeforeBackup: number;
    let first: string;
    try {
      first = await issueToken(server.info.url);
      let issued = 1;
      let writing = true;
      const writer = (async () => {
        while (writing) {
          await issueToken(server.info.url);
          issued++;
        }
      })();
      // Some tokens committed, and writes still going on, when the backup starts and while it runs.
      while (issued < 50) await new Promise((resolve) => setTimeout(resolve, 5));
      issuedBeforeBackup = issued;
      const backup = await gatehouseOk(env, 'backup', '--out', out);
      writing = false;
      await writer;
      assert.equal(backup.out, out);
      assert.ok(issued > issuedBeforeBackup, 'tokens were issued while the backup ran');
    } finally {
      await server.stop();
    }

    const copy = new BetterSqlite3(out, { readonly: true, fileMustExist: true });
    try {
      assert.deepEqual(copy.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
      const count = (table: string) => (copy.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      assert.equal(count('users'), 1);
      assert.equal(count('clients'), 1);
      assert.ok(count('access_tokens') >= issuedBeforeBackup, `${count('access_tokens')} tokens, ${issuedBeforeBackup} issued before`);
    } finally {
      copy.close();
    }

    const restored = await serve({ ...env, GATEHOUSE_DATABASE_URL: `sqlite:${out}` });
    try {
      assert.equal((await introspect(restored.info.url, first)).active, true);
      assert.equal((await introspect(restored.info.url, 'not-a-token')).active, false);
    } finally {
      await restored.stop();
    }
  });

  test('refuses to replace a file unless --force, and the file is left as it was', async () => {
    const out = join(dir, 'taken.db');
    writeFileSync(out, 'keep me');
    const refused = await gatehouse(env, 'backup', '--out', out);
    assert.equal(refused.code, 1);
    assert.equal(refused.json.error.code, 'backup.out_exists');
    assert.match(refused.json.error.message, /--force/);
    assert.equal(readFileSync(out, 'utf8'), 'keep me');
    const forced = await gatehouseOk(env, 'backup', '--out', out, '--force');
    assert.equal(forced.out, out);
    const copy = new BetterSqlite3(out, { readonly: true, fileMustExist: true });
    assert.deepEqual(copy.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    copy.close();
  });

  test('on PostgreSQL it names pg_dump and the command (exit 2) without connecting', async () => {
    const result = await gatehouseRaw({ GATEHOUSE_DATABASE_URL: 'postgres://gh:secret@db.invalid/gatehouse' }, [
      'backup',
      '--out',
      'x.dump',
    ]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /pg_dump --format=custom --file=\S*x\.dump 'postgres:\/\/gh:\*\*\*@db\.invalid\/gatehouse'/);
    assert.doesNotMatch(result.stderr, /secret/);
  });

  test('a database that does not exist is reported, not created', async () => {
    const missing = join(dir, 'nowhere', 'g.db');
    const result = await gatehouse({ GATEHOUSE_DATABASE_URL: `sqlite:${missing}` }, 'backup', '--out', join(dir, 'x.db'));
    assert.equal(result.code, 1);
    assert.equal(result.json.error.code, 'database.missing');
  });
});
