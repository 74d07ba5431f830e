import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { schedulePurge } from '../../src/storage/expiry-purge.js';
import type { AccessToken } from '../../src/storage/storage.js';
import { describeEachStore } from '../support/each-store.js';

const HOUR_MS = 3_600_000;

describeEachStore('the scheduled purge of expired rows (gatehouse serve)', (get) => {
  test('sweeps on every tick: rows expired longer ago than kept go, newer and live rows stay', async () => {
    const h = get();
    const owner = await h.user();
    const client = await h.client(owner, 'self');
    const now = h.clock.now();
    const token = (expiresAt: number): AccessToken => ({
      id: randomBytes(16).toString('hex'),
      clientId: client.clientId,
      userZuid: owner.zuid,
      scopes: 'ZohoCRM.modules.ALL',
      refreshTokenId: null,
      originCodeId: null,
      createdAt: expiresAt - HOUR_MS,
      expiresAt,
    });
    const longExpired = token(now - 3 * HOUR_MS);
    const recentlyExpired = token(now - HOUR_MS / 2);
    const live = token(now + HOUR_MS);
    for (const t of [longExpired, recentlyExpired, live]) await h.storage.tokens.createAccessToken(t);
    const exists = async (t: AccessToken) => (await h.storage.tokens.findAccessToken(t.id)) !== undefined;

    const failures: unknown[] = [];
    const purge = schedulePurge(h.storage, { now: h.clock.now, everyMs: 20, keepMs: HOUR_MS, onError: (err) => failures.push(err) });
    try {
      await waitUntil(async () => !(await exists(longExpired)));
      assert.equal(await exists(recentlyExpired), true, 'kept for the keep time past its expiry');
      // A later tick sweeps what has since passed the keep time: the schedule repeats, it is not a one-off.
      h.clock.advance(HOUR_MS / 1000);
      await waitUntil(async () => !(await exists(recentlyExpired)));
      assert.equal(await exists(live), true);
    } finally {
      await purge.stop();
    }
    assert.deepEqual(failures, []);
  });
});

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 10) {
    if (waited > 5_000) assert.fail('the scheduled purge did not delete the row within 5 s');
    await sleep(10);
  }
}
