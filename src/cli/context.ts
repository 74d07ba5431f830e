import { MemoryRateLimiter, type RateLimiter } from '../core/limits/rate-limiter.js';
import type { GatehouseEvents } from '../core/observability/events.js';
import { resolveHashKey } from '../core/tokens/hash-key.js';
import { createGatehouse, type Gatehouse } from '../gatehouse.js';
import type { RecordRepository } from '../resources/record-repository.js';
import { openStorage } from '../storage/open-storage.js';
import { RedisRateLimiter } from '../storage/redis-rate-limiter.js';
import { RedisReplayCache } from '../storage/redis-replay-cache.js';
import type { StoreObserver } from '../storage/store-observer.js';
import { asDatabaseMissing, DatabaseMissingError } from './database-check.js';
import type { Settings } from './settings.js';

/**
 * Opens the store the settings name, brings its schema up to date, and builds the services. Every command runs
 * through here, so `gatehouse user create` on a fresh database works without a separate `migrate`. Only a command
 * that `creates` (as its `database` says) makes the schema: for any other, a database without it (an empty PostgreSQL
 * database or schema: connecting made nothing) is `database.missing`, as a missing SQLite file is, and stays untouched.
 * `watch` is who is told what the protocol and the store do (`serve`'s metrics).
 */
export async function openGatehouse(
  settings: Settings,
  database: 'creates' | 'exists' = 'exists',
  watch?: GatehouseEvents & StoreObserver,
): Promise<{ gatehouse: Gatehouse; records: RecordRepository; hashKeySource: 'configured' | 'stored'; close(): Promise<void> }> {
  const storage = openStorage(settings.databaseUrl, watch ? { observer: watch } : {});
  let rateLimiter: RateLimiter | undefined;
  let dpopReplay: RedisReplayCache | undefined;
  try {
    if (database === 'exists' && !(await storage.hasSchema()))
      throw new DatabaseMissingError(settings.databaseUrl, 'it holds no Gatehouse tables');
    await storage.migrate();
    const { key, source } = await resolveHashKey(storage.settings, settings.secretKey);
    rateLimiter = settings.redisUrl ? new RedisRateLimiter(settings.redisUrl) : new MemoryRateLimiter();
    // Nodes sharing Redis share DPoP's replay cache too: a proof used at one node is refused at every other.
    dpopReplay = settings.redisUrl ? new RedisReplayCache(settings.redisUrl) : undefined;
    const gatehouse = createGatehouse({
      config: settings.config,
      storage,
      hashKey: key,
      rateLimiter,
      ...(dpopReplay ? { dpopReplay } : {}),
      ...(watch ? { events: watch } : {}),
    });
    return {
      gatehouse,
      records: storage.records,
      hashKeySource: source,
      async close() {
        // Logout tokens on their way (a user disabled from the CLI, a server shutting down) go out first, 5 s at most.
        await gatehouse.backChannelLogout.settled();
        await rateLimiter!.close();
        await dpopReplay?.close();
        await storage.close();
      },
    };
  } catch (err) {
    await rateLimiter?.close();
    await dpopReplay?.close();
    await storage.close();
    throw asDatabaseMissing(err, settings.databaseUrl);
  }
}

/** Runs one command's work against an opened Gatehouse and closes it afterwards, whatever happens. */
export async function withGatehouse<T>(
  settings: Settings,
  work: (gatehouse: Gatehouse, records: RecordRepository) => Promise<T>,
  database: 'creates' | 'exists' = 'exists',
): Promise<T> {
  const { gatehouse, records, close } = await openGatehouse(settings, database);
  try {
    return await work(gatehouse, records);
  } finally {
    await close();
  }
}
