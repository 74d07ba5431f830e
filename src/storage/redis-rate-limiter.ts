import { Redis } from 'ioredis';
import type { RateLimit } from '../core/config/config.js';
import { decide, type RateDecision, type RateLimiter } from '../core/limits/rate-limiter.js';

/**
 * Rate-limit windows shared by every Gatehouse node through Redis. One round trip per hit: INCR, then PEXPIRE NX
 * (starts the window only on the first hit), then PTTL, pipelined.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'gatehouse:rate:',
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  }

  async hit(key: string, limit: RateLimit): Promise<RateDecision> {
    const redisKey = this.prefix + key;
    const results = await this.redis
      .multi()
      .incr(redisKey)
      .pexpire(redisKey, limit.windowSeconds * 1000, 'NX')
      .pttl(redisKey)
      .exec();
    if (!results) throw new Error('Redis transaction was aborted');
    for (const [err] of results) if (err) throw err;
    const count = Number(results[0]![1]);
    const msLeft = Number(results[2]![1]);
    return decide(count, limit, msLeft > 0 ? msLeft : limit.windowSeconds * 1000);
  }

  async peek(key: string, limit: RateLimit): Promise<RateDecision> {
    const redisKey = this.prefix + key;
    const [[countErr, count], [ttlErr, msLeft]] = (await this.redis.multi().get(redisKey).pttl(redisKey).exec()) as [
      [Error | null, string | null],
      [Error | null, number],
    ];
    if (countErr || ttlErr) throw countErr ?? ttlErr;
    if (count === null || msLeft <= 0) return decide(1, limit, limit.windowSeconds * 1000);
    return decide(Number(count) + 1, limit, msLeft);
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
