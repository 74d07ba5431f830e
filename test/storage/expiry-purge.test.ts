import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { purgeExpired, schedulePurge } from '../../src/core/purge.js';
import type { AccessToken } from '../../src/core/tokens/token-repository.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';

const HOUR_MS = 3_600_000;
const RETENTION = { auditRetentionDays: 90 };
const withRetention = (h: Harness) => ({ ...h.gatehouse, config: RETENTION });

describeEachStore('the scheduled purge of expired rows (gatehouse serve)', (get) => {
  test('sweeps on every tick: rows expired longer ago than kept go, newer and live rows stay', async () => {
    const h = get();
    const token = await tokenMaker(h);
    const now = h.clock.now();
    const longExpired = token(now - 3 * HOUR_MS);
    const recentlyExpired = token(now - HOUR_MS / 2);
    const live = token(now + HOUR_MS);
    for (const t of [longExpired, recentlyExpired, live]) await h.storage.tokens.createAccessToken(t);
    const exists = async (t: AccessToken) => (await h.storage.tokens.findAccessToken(t.id)) !== undefined;

    const failures: unknown[] = [];
    const sweep = () => purgeExpired(withRetention(h), h.clock.now(), HOUR_MS);
    const purge = schedulePurge(sweep, { everyMs: 20, onError: (err) => failures.push(err) });
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

  test('one purge deletes every expired row, however many batches that takes, and counts them', async () => {
    const h = get();
    const token = await tokenMaker(h);
    const expired = Array.from({ length: 2_500 }, () => token(h.clock.now() - HOUR_MS));
    const live = token(h.clock.now() + HOUR_MS);
    for (let i = 0; i < expired.length; i += 100) {
      await Promise.all(expired.slice(i, i + 100).map((t) => h.storage.tokens.createAccessToken(t)));
    }
    await h.storage.tokens.createAccessToken(live);
    assert.equal(await purgeExpired(withRetention(h), h.clock.now(), 0), expired.length);
    assert.equal(await h.storage.tokens.findAccessToken(expired.at(-1)!.id), undefined);
    assert.notEqual(await h.storage.tokens.findAccessToken(live.id), undefined);
  });

  test('pushed authorization requests are swept with the rest: expired ones go, live ones stay', async () => {
    const h = get();
    const owner = await h.user();
    const client = await h.client(owner, 'server');
    const pushed = (expiresAt: number) => ({ id: randomBytes(16).toString('hex'), clientId: client.clientId, request: '{}', expiresAt });
    const expired = pushed(h.clock.now() - HOUR_MS);
    const live = pushed(h.clock.now() + HOUR_MS);
    for (const p of [expired, live]) await h.storage.pushedRequests.create(p);
    assert.equal(await purgeExpired(withRetention(h), h.clock.now(), 0), 1);
    assert.equal(
      await h.storage.pushedRequests.take(expired.id, client.clientId, 0),
      undefined,
      'gone, even to a take that ignores expiry',
    );
    assert.deepEqual(await h.storage.pushedRequests.take(live.id, client.clientId, h.clock.now()), live);
  });
});

/** Access tokens of a fresh user's Self Client (no refresh token, as client_credentials issues them), by expiry. */
async function tokenMaker(h: Harness): Promise<(expiresAt: number) => AccessToken> {
  const owner = await h.user();
  const client = await h.client(owner, 'self');
  return (expiresAt) => ({
    id: randomBytes(16).toString('hex'),
    clientId: client.clientId,
    userZuid: owner.zuid,
    scopes: 'ZohoCRM.modules.ALL',
    refreshTokenId: null,
    originCodeId: null,
    jkt: null,
    createdAt: expiresAt - HOUR_MS,
    expiresAt,
  });
}

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  for (let waited = 0; !(await condition()); waited += 10) {
    if (waited > 5_000) assert.fail('the scheduled purge did not delete the row within 5 s');
    await sleep(10);
  }
}
