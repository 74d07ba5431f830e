import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
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

    test('allows the count, blocks the next, and says how long to wait', async () => {
      const k = key();
      const limit = { count: 3, windowSeconds: 60 };
      for (let i = 0; i < 3; i++) assert.equal((await limiter.hit(k, limit)).allowed, true);
      const blocked = await limiter.hit(k, limit);
      assert.equal(blocked.allowed, false);
      assert.ok(blocked.retryAfter > 0 && blocked.retryAfter <= 60);
    });

    test('peek says whether one more would pass, and counts nothing', async () => {
      const k = key();
      const limit = { count: 2, windowSeconds: 60 };
      assert.equal((await limiter.peek(k, limit)).allowed, true);
      await limiter.hit(k, limit);
      assert.equal((await limiter.peek(k, limit)).allowed, true);
      await limiter.hit(k, limit);
      const full = await limiter.peek(k, limit);
      assert.equal(full.allowed, false);
      assert.ok(full.retryAfter > 0);
      assert.equal((await limiter.peek(k, limit)).allowed, false, 'peeking did not move the count');
    });

    test('keys are counted apart', async () => {
      const limit = { count: 1, windowSeconds: 60 };
      const a = key();
      assert.equal((await limiter.hit(a, limit)).allowed, true);
      assert.equal((await limiter.hit(a, limit)).allowed, false);
      assert.equal((await limiter.hit(key(), limit)).allowed, true);
    });

    test('a new window starts when the old one ends', async () => {
      const k = key();
      const limit = { count: 1, windowSeconds: 1 };
      assert.equal((await limiter.hit(k, limit)).allowed, true);
      assert.equal((await limiter.hit(k, limit)).allowed, false);
      await advance(1.1);
      assert.equal((await limiter.hit(k, limit)).allowed, true);
    });

    test('concurrent hits are all counted', async () => {
      const k = key();
      const limit = { count: 10, windowSeconds: 60 };
      const results = await Promise.all(Array.from({ length: 25 }, () => limiter.hit(k, limit)));
      assert.equal(results.filter((r) => r.allowed).length, 10);
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
