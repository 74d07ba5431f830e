import type { Redis } from 'ioredis';
import type { ReplayCache } from '@gatehouse/resource-server';
import { closeRedis, connectRedis } from './redis-connection.js';

/**
 * DPoP proofs' `jti`s shared by every node through Redis: `SET key NX PX ttl` stores the key only when it is new, in
 * one atomic step, so a proof replayed at another node (or raced against itself) passes once. Redis expires the keys.
 */
export class RedisReplayCache implements ReplayCache {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix = 'gatehouse:dpop-jti:',
  ) {
    this.redis = connectRedis(url);
  }

  async firstUse(key: string, ttlMs: number): Promise<boolean> {
    return (await this.redis.set(this.prefix + key, '1', 'PX', ttlMs, 'NX')) === 'OK';
  }

  close(): Promise<void> {
    return closeRedis(this.redis);
  }
}
