import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { POSTGRES_URL, unavailable } from '../support/services.js';
import { gatehouse, gatehouseOk, gatehouseRaw } from './cli-runner.js';

/** A fresh directory to run the CLI from, so the default `sqlite:./data/gatehouse.db` points at nothing. */
const emptyDir = () => mkdtempSync(join(tmpdir(), 'gatehouse-cwd-'));

describe('gatehouse CLI: a newcomer’s first hour', () => {
  test('a command on existing data refuses a missing database, names it, and creates nothing', async () => {
    const cwd = emptyDir();
    for (const args of [
      ['client', 'list', '--owner', 'dev@example.com'],
      ['user', 'list'],
      ['keys', 'rotate'],
      ['audit', 'list'],
    ]) {
      const json = await gatehouseRaw({}, [...args, '--json'], { cwd });
      assert.equal(json.code, 1, json.stderr);
      assert.equal(json.stdout, '');
      const { error } = JSON.parse(json.stderr) as { error: Record<string, string> };
      assert.equal(error.code, 'database.missing');
      assert.equal(error.database, 'sqlite:./data/gatehouse.db');
      assert.ok(error.message!.includes(join(cwd, 'data/gatehouse.db')), error.message);
      assert.equal(existsSync(join(cwd, 'data')), false, `${args.join(' ')} made no database (nor its directory)`);
    }
    const text = await gatehouseRaw({}, ['client', 'list', '--owner', 'dev@example.com'], { cwd });
    assert.equal(text.code, 1);
    assert.match(text.stderr, /No database at sqlite:\.\/data\/gatehouse\.db/);
    assert.doesNotMatch(text.stderr, /No user has this email/);
  });

  test('serve, migrate and user create may create the database; then the others work on it', async () => {
    const dir = emptyDir();
    const env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'sub', 'g.db')}` };
    const user = ['--password', 'hunter2hunter2', '--first-name', 'N', '--last-name', 'C'];
    await gatehouseOk(env, 'user', 'create', '--email', 'new@example.com', ...user);
    assert.equal((await gatehouseOk(env, 'user', 'list')).users.length, 1);
    const migrated = await gatehouseOk({ GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'm.db')}` }, 'migrate');
    assert.equal(migrated.database, `sqlite:${join(dir, 'm.db')}`);
    assert.ok(existsSync(join(dir, 'm.db')));
  });

  test('a PostgreSQL database that does not exist is database.missing too, its password redacted', async (t) => {
    const skip = await unavailable('PostgreSQL');
    if (skip) return t.skip(skip);
    const missing = new URL(POSTGRES_URL);
    missing.pathname = '/gatehouse_no_such_database';
    missing.password = 'sekrit';
    const result = await gatehouse({ GATEHOUSE_DATABASE_URL: missing.href }, 'user', 'list');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.json.error.code, 'database.missing');
    assert.match(result.json.error.database, /:\*\*\*@/);
    assert.ok(!result.stderr.includes('sekrit'));
  });

  test('an empty PostgreSQL schema is database.missing for a command on existing data, and stays empty', async (t) => {
    const skip = await unavailable('PostgreSQL');
    if (skip) return t.skip(skip);
    const schema = `gh_empty_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    const tables = async () =>
      Number((await admin.query('select count(*) as n from information_schema.tables where table_schema = $1', [schema])).rows[0].n);
    try {
      await admin.query(`create schema ${schema}`);
      const env = { GATEHOUSE_DATABASE_URL: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
      for (const args of [
        ['client', 'list', '--owner', 'dev@example.com'],
        ['user', 'list'],
        ['keys', 'rotate'],
        ['demo', '--email', 'dev@example.com'],
      ]) {
        const result = await gatehouse(env, ...args);
        assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
        assert.equal(result.json.error.code, 'database.missing', args.join(' '));
        assert.match(result.json.error.message, /holds no Gatehouse tables.*gatehouse migrate/);
        assert.equal(await tables(), 0, `${args.join(' ')} created nothing`);
      }
      await gatehouseOk(env, 'migrate');
      assert.ok((await tables()) > 10);
      assert.deepEqual((await gatehouseOk(env, 'user', 'list')).users, []);
    } finally {
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  });

  test('no command: usage on stderr, exit 2; --help: usage on stdout, exit 0; both name the database', async () => {
    const cwd = emptyDir();
    const none = await gatehouseRaw({}, [], { cwd });
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /no command given[\s\S]*Usage: gatehouse <command>/);
    const onlyJson = await gatehouse({});
    assert.deepEqual([onlyJson.code, onlyJson.json.error.message], [2, 'no command given'], '`gatehouse --json` alone');
    const help = await gatehouseRaw({ GATEHOUSE_DATABASE_URL: 'postgres://gh:hunter2@db.example/gh' }, ['--help'], { cwd });
    assert.equal(help.code, 0);
    assert.equal(help.stderr, '');
    assert.match(help.stdout, /Usage: gatehouse <command>/);
    assert.match(help.stdout, /Database: postgres:\/\/gh:\*\*\*@db\.example\/gh/);
    assert.ok(!help.stdout.includes('hunter2'), 'the password is redacted');
    assert.match(
      none.stderr,
      new RegExp(`Database: sqlite:\\./data/gatehouse\\.db \\(${join(cwd, 'data/gatehouse.db')}, which does not exist yet\\)`),
    );
    assert.equal(existsSync(join(cwd, 'data')), false);
  });

  test('an unknown command says so, suggests the nearest, exit 2', async () => {
    const unknown = await gatehouseRaw({}, ['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^gatehouse: unknown command: frobnicate\n/);
    assert.match(unknown.stderr, /Usage: gatehouse <command>/);
    const typo = await gatehouseRaw({}, ['client', 'lst', '--owner', 'x@example.com']);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown command: client lst \(did you mean "gatehouse client list"\?\)/);
    const json = await gatehouse({}, 'user');
    assert.equal(json.code, 2);
    assert.equal(json.json.error.code, 'usage');
    assert.ok(json.json.error.suggestions.includes('user create'));
  });

  test('user create reports every missing and invalid option at once, before opening a database', async () => {
    const cwd = emptyDir();
    const result = await gatehouseRaw({}, ['user', 'create', '--email', 'not-an-email', '--password', 'x', '--json'], { cwd });
    assert.equal(result.code, 2, 'missing options make it a usage error');
    const { error } = JSON.parse(result.stderr) as { error: { code: string; errors: Array<{ code: string; field: string }> } };
    assert.deepEqual(
      error.errors.map((e) => [e.code, e.field]),
      [
        ['usage', 'first-name'],
        ['usage', 'last-name'],
        ['user.email_invalid', 'email'],
        ['user.password_invalid', 'password'],
      ],
    );
    assert.equal(error.code, 'usage');
    assert.equal(existsSync(join(cwd, 'data')), false, 'refused before the database was created');

    const text = await gatehouseRaw({}, ['user', 'create', '--email', 'nope', '--password', 'x', '--first-name', 'A', '--last-name', 'B'], {
      cwd,
    });
    assert.equal(text.code, 1, 'only invalid values: the command failed');
    assert.match(text.stderr, /2 problems:\n {2}--email: Enter a valid email address\.\n {2}--password: The password must be/);
  });
});
