import { Redis } from 'ioredis';

/**
 * A connection to the Redis that Gatehouse's nodes share (`GATEHOUSE_REDIS_URL`), as every shared-state user opens
 * it: a command fails after two retries rather than waiting without end, and commands sent while it reconnects queue.
 */
export function connectRedis(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
}

/** Closes a connection from `connectRedis`, whatever its state. */
export async function closeRedis(redis: Redis): Promise<void> {
  // QUIT is a command like any other: on a connection that never came up it would wait in the offline queue.
  if (redis.status === 'ready') await redis.quit();
  else redis.disconnect();
}
