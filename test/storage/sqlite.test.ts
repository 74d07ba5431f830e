import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import { SqliteCheckpointer } from '../../src/storage/sqlite-checkpointer.js';
import type { AccessToken } from '../../src/core/tokens/token-repository.js';
import type { Storage } from '../../src/core/store.js';
import { sqliteStore } from '../support/stores.js';
import { runStorageContract } from './contract.js';

runStorageContract(sqliteStore);

describe('SQLite read cache', () => {
  async function twoProcesses(): Promise<{ server: Storage; cli: Storage; token: AccessToken; close(): Promise<void> }> {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-cache-'));
    const path = `sqlite:${join(dir, 'g.db')}`;
    const server = openStorage(path);
    await server.migrate();
    const cli = openStorage(path);
    const zuid = '100000000001';
    await server.users.create({
      zuid,
      email: 'a@example.com',
      passwordHash: 'x',
      firstName: 'A',
      lastName: 'B',
      displayName: 'A B',
      isAdmin: false,
      mustChangePassword: false,
      disabled: false,
      createdAt: 1,
    });
    const clientId = '1000.CACHETEST0000000000000000000000';
    await server.clients.create({
      clientId,
      ownerZuid: zuid,
      type: 'self',
      name: 'Self Client',
      homepage: null,
      redirectUris: [],
      jsDomains: [],
      postLogoutRedirectUris: [],
      backchannelLogoutUri: null,
      backchannelLogoutSessionRequired: false,
      secretHash: 'h',
      dpopBoundAccessTokens: false,
      accessTokenFormat: 'opaque',
      idTokenSignedResponseAlg: 'RS256',
      userinfoSignedResponseAlg: null,
      requirePushedAuthorizationRequests: false,
      createdAt: 1,
      updatedAt: 1,
    });
    const token: AccessToken = {
      id: 'cached-token',
      clientId,
      userZuid: zuid,
      scopes: 'ZohoCRM.modules.ALL',
      refreshTokenId: null,
      originCodeId: null,
      jkt: null,
      createdAt: 1,
      expiresAt: Date.now() + 3_600_000,
    };
    await server.tokens.createAccessToken(token);
    return {
      server,
      cli,
      token,
      async close() {
        await cli.close();
        await server.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  test('a revocation committed by another process (the CLI) is seen within a millisecond', async () => {
    const { server, cli, token, close } = await twoProcesses();
    try {
      assert.deepEqual(await server.tokens.findAccessToken(token.id), token);
      assert.deepEqual(await server.tokens.findAccessToken(token.id), token, 'now served from the cache');
      assert.deepEqual(server.tokens.peekAccessToken(token.id), token, 'and a peek finds it in memory');
      assert.equal(await cli.tokens.revokeAccessToken(token.id), true);
      await sleep(5);
      assert.equal(server.tokens.peekAccessToken(token.id), undefined, 'the revocation emptied the memory');
      assert.equal(await server.tokens.findAccessToken(token.id), undefined);
      // And an update (a rotated secret) the same way.
      assert.equal((await server.clients.find(token.clientId))!.secretHash, 'h');
      assert.equal(server.clients.peek(token.clientId)!.secretHash, 'h', 'the client is now in memory');
      await cli.clients.updateSecretHash(token.clientId, 'rotated', 2);
      await sleep(5);
      assert.equal(server.clients.peek(token.clientId), undefined, 'and the rotation emptied it');
      assert.equal((await server.clients.find(token.clientId))!.secretHash, 'rotated');
    } finally {
      await close();
    }
  });

  test('what the cache hands out is frozen, so no caller can change what the next one reads', async () => {
    const { server, token, close } = await twoProcesses();
    try {
      await server.tokens.findAccessToken(token.id);
      const shared = (await server.tokens.findAccessToken(token.id))!;
      assert.throws(() => {
        (shared as { scopes: string }).scopes = 'everything';
      }, TypeError);
      const client = (await server.clients.find(token.clientId))!;
      await server.clients.find(token.clientId);
      assert.throws(() => (client.redirectUris as string[]).push('https://evil.example'), TypeError);
    } finally {
      await close();
    }
  });
});

describe('SQLite checkpointer', () => {
  test('under sustained writes the WAL starts over at its limit; once writes stop, the file is emptied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-wal-'));
    const path = join(dir, 'g.db');
    const database = new BetterSqlite3(path);
    database.pragma('journal_mode = WAL');
    database.pragma('wal_autocheckpoint = 0');
    database.exec('create table t (id integer primary key, payload blob not null)');
    const checkpointer = new SqliteCheckpointer(path, 20, 200);
    const walBytes = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    try {
      // About 16 MB through the WAL, 100 KB per commit, with pauses so the checkpointer's thread gets turns.
      const insert = database.prepare('insert into t (payload) values (?)');
      const payload = Buffer.alloc(100_000);
      let largest = 0;
      for (let i = 0; i < 160; i++) {
        insert.run(payload);
        largest = Math.max(largest, walBytes());
        await sleep(5);
      }
      // 200 pages (~800 KB) plus what is committed while the thread waits for a turn: well below what was written.
      assert.ok(largest < 8_000_000, `the WAL grew to ${largest} bytes`);
      // The row count shows nothing was lost by starting over.
      assert.equal(database.prepare('select count(*) from t').pluck().get(), 160);
      let waited = 0;
      while (walBytes() > 0 && waited < 5_000) {
        await sleep(20);
        waited += 20;
      }
      assert.equal(walBytes(), 0, 'an idle, fully copied WAL is truncated');
    } finally {
      await checkpointer.stop();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
