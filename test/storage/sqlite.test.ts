import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test } from 'node:test';
import { openStorage } from '../../src/storage/open-storage.js';
import type { AccessToken, Storage } from '../../src/storage/storage.js';
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
      secretHash: 'h',
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
      assert.equal(await cli.tokens.revokeAccessToken(token.id), true);
      await sleep(5);
      assert.equal(await server.tokens.findAccessToken(token.id), undefined);
      // And an update (a rotated secret) the same way.
      assert.equal((await server.clients.find(token.clientId))!.secretHash, 'h');
      await cli.clients.updateSecretHash(token.clientId, 'rotated', 2);
      await sleep(5);
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
