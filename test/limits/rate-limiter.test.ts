import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { RateLimit } from '../../src/core/config/config.js';
import { MemoryRateLimiter, type RateLimiter } from '../../src/core/limits/rate-limiter.js';
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js';
import { REDIS_URL, unavailable } from '../support/services.js';

/** One behaviour for both limiters: a fixed window that blocks until it ends, counted per key. */
function limiterContract(
  name: string,
  make: () => RateLimiter,
  skip: () => Promise<string | false>,
  advance: (seconds: number) => Promise<void>,
): void {
  describe(`rate limiter [${name}]`, async () => {
    const skipped = await skip();
    if (skipped) {
      describe('skipped', { skip: skipped }, () => {});
      return;
    }
    let limiter: RateLimiter;
    before(() => {
      limiter = make();
    });
    after(() => limiter.close());
    const key = () => `test:${randomBytes(6).toString('hex')}`;
    const one = (k: string, limit: RateLimit) => limiter.reserve([{ key: k, limit }]);

    test('allows the count, blocks the next, and says how long to wait', async () => {
      const k = key();
      const limit = { count: 3, windowSeconds: 60 };
      for (let i = 0; i < 3; i++) assert.equal((await one(k, limit)).allowed, true);
      const blocked = await one(k, limit);
      assert.equal(blocked.allowed, false);
      assert.ok(!blocked.allowed && blocked.retryAfter > 0 && blocked.retryAfter <= 60);
    });

    test('keys are counted apart', async () => {
      const limit = { count: 1, windowSeconds: 60 };
      const a = key();
      assert.equal((await one(a, limit)).allowed, true);
      assert.equal((await one(a, limit)).allowed, false);
      assert.equal((await one(key(), limit)).allowed, true);
    });

    test('a new window starts when the old one ends', async () => {
      const k = key();
      const limit = { count: 1, windowSeconds: 1 };
      assert.equal((await one(k, limit)).allowed, true);
      assert.equal((await one(k, limit)).allowed, false);
      await advance(1.1);
      assert.equal((await one(k, limit)).allowed, true);
    });

    test('concurrent reservations are all counted: exactly the limit pass', async () => {
      const k = key();
      const limit = { count: 10, windowSeconds: 60 };
      const results = await Promise.all(Array.from({ length: 25 }, () => one(k, limit)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
    });

    test('several keys are taken together or not at all', async () => {
      const [account, address] = [key(), key()];
      const tight = { count: 2, windowSeconds: 60 };
      const loose = { count: 100, windowSeconds: 60 };
      const both = () =>
        limiter.reserve([
          { key: account, limit: tight },
          { key: address, limit: loose },
        ]);
      const results = await Promise.all(Array.from({ length: 10 }, both));
      assert.equal(results.filter((r) => r.allowed).length, 2);
      // The eight refusals took nothing from the loose key: 98 places are left there.
      const rest = await Promise.all(Array.from({ length: 100 }, () => one(address, loose)));
      assert.equal(rest.filter((r) => r.allowed).length, 98);
    });

    test('a released slot is free again, once, however often release is called', async () => {
      const k = key();
      const limit = { count: 2, windowSeconds: 60 };
      const first = await one(k, limit);
      assert.ok(first.allowed);
      await first.release();
      await first.release();
      assert.equal((await one(k, limit)).allowed, true);
      assert.equal((await one(k, limit)).allowed, true);
      assert.equal((await one(k, limit)).allowed, false, 'a second release did not give back a second slot');
    });

    test('a release after its window ended does not credit the next window', async () => {
      const k = key();
      const limit = { count: 1, windowSeconds: 1 };
      const old = await one(k, limit);
      assert.ok(old.allowed);
      await advance(1.1);
      assert.equal((await one(k, limit)).allowed, true);
      await old.release();
      assert.equal((await one(k, limit)).allowed, false);
    });
  });
}

let fakeNow = Date.now();
limiterContract(
  'memory',
  () => new MemoryRateLimiter(() => fakeNow),
  async () => false,
  async (s) => {
    fakeNow += s * 1000;
  },
);
// Redis keeps real time, so its window test waits the second out.
limiterContract(
  'redis',
  () => new RedisRateLimiter(REDIS_URL, `gatehouse-test:${randomBytes(4).toString('hex')}:`),
  () => unavailable('Redis'),
  (s) => new Promise((r) => setTimeout(r, s * 1000)),
);
