import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RateLimiter } from '../../src/core/limits/rate-limiter.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js';
import { describeEachStore } from '../support/each-store.js';
import { Harness } from '../support/harness.js';
import { POSTGRES_URL, REDIS_URL, unavailable } from '../support/services.js';
import { STORE_KINDS, type StoreKind } from '../support/stores.js';

/** Nothing listens on port 1 of the loopback address: a connection there is refused at once. */
const NOTHING_LISTENS = '127.0.0.1:1';

async function withHarness(start: Promise<Harness>, body: (h: Harness) => Promise<void>): Promise<void> {
  const h = await start;
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

describeEachStore('/readyz and /healthz', (get) => {
  test('a healthy node: /readyz 200 {"status":"ready"}, not cached; /healthz 200', async () => {
    const ready = await get().request('/readyz');
    assert.equal(ready.status, 200);
    assert.deepEqual(ready.body, { status: 'ready' });
    assert.equal(ready.headers.get('cache-control'), 'no-store');
    const live = await get().request('/healthz');
    assert.equal(live.status, 200);
    assert.deepEqual(live.body, { status: 'ok' });
  });
});

for (const kind of STORE_KINDS) {
  describe(`/readyz when a dependency does not answer [${kind.name}]`, async () => {
    const skip = await kind.skip();
    if (skip) {
      describe('skipped', { skip }, () => {});
      return;
    }

    test('the store is closed under the server: 503 naming the database; /healthz still 200 (alive)', async () => {
      const closedStore: StoreKind = {
        ...kind,
        async open() {
          const store = await kind.open();
          await store.storage.close();
          return store;
        },
      };
      await withHarness(Harness.start(closedStore), async (h) => {
        const res = await h.request('/readyz');
        assert.equal(res.status, 503);
        assert.deepEqual(res.body, { status: 'not_ready', checks: { database: 'error', rateLimiter: 'ok' } });
        assert.equal((await h.request('/healthz')).status, 200);
      });
    });

    test('Redis configured but unreachable: 503 naming the rate limiter, the database ok', async () => {
      const limiter = new RedisRateLimiter(`redis://${NOTHING_LISTENS}`);
      await withHarness(Harness.start(kind, {}, { rateLimiter: limiter }), async (h) => {
        const res = await h.request('/readyz');
        assert.equal(res.status, 503);
        assert.deepEqual(res.body, { status: 'not_ready', checks: { database: 'ok', rateLimiter: 'error' } });
      });
    });

    test('a check that never answers: /readyz still answers, 503 "timeout", within about a second', async () => {
      const hanging: RateLimiter = {
        reserve: async () => ({ allowed: true, release: async () => {} }),
        ready: () => new Promise<void>(() => {}),
        close: async () => {},
      };
      await withHarness(Harness.start(kind, {}, { rateLimiter: hanging }), async (h) => {
        const started = performance.now();
        const res = await h.request('/readyz');
        const ms = performance.now() - started;
        assert.equal(res.status, 503);
        assert.deepEqual(res.body, { status: 'not_ready', checks: { database: 'ok', rateLimiter: 'timeout' } });
        assert.ok(ms >= 900 && ms < 3000, `answered after ${Math.round(ms)} ms`);
      });
    });
  });
}

describe('/readyz: PostgreSQL unreachable (a second Gatehouse pointed where no database listens)', () => {
  test('503 naming the database', async () => {
    const url = new URL(POSTGRES_URL);
    url.host = NOTHING_LISTENS;
    const storage = openStorage(url.toString());
    const unreachable: StoreKind = {
      name: 'postgres',
      skip: async () => false,
      open: async () => ({ storage, snapshot: async () => ({}), dispose: () => storage.close() }),
    };
    await withHarness(Harness.start(unreachable), async (h) => {
      const res = await h.request('/readyz');
      assert.equal(res.status, 503);
      assert.deepEqual(res.body, { status: 'not_ready', checks: { database: 'error', rateLimiter: 'ok' } });
    });
  });
});

describe('/readyz with Redis reachable', async () => {
  const skip = await unavailable('Redis');
  test('200 when Redis answers', { skip }, async () => {
    const [sqlite] = STORE_KINDS;
    await withHarness(Harness.start(sqlite!, {}, { rateLimiter: new RedisRateLimiter(REDIS_URL) }), async (h) => {
      // The connection is made in the background; a node is not ready until it is up, so allow it a moment.
      let res = await h.request('/readyz');
      for (let i = 0; i < 50 && res.status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        res = await h.request('/readyz');
      }
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ready' });
    });
  });
});
