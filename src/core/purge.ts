import type { GatehouseConfig } from './config/config.js';
import type { Repositories } from './store.js';

const DAY_MS = 24 * 60 * 60_000;

/** How often `gatehouse serve` sweeps. */
export const PURGE_EVERY_MS = 10 * 60_000;
/** Expired codes (and sessions, consent pages) are kept a day past expiry, so a late replay is still recognised as one. */
export const KEEP_EXPIRED_MS = DAY_MS;

/**
 * What `serve` sweeps on its schedule: codes, access tokens, sessions, consent pages, pushed authorization requests,
 * device authorizations and passkey challenges `keepMs` past their expiry, and audit events older than the retention
 * (`GATEHOUSE_AUDIT_RETENTION_DAYS`). Returns how many rows went.
 */
export async function purgeExpired(
  storage: Pick<
    Repositories,
    'tokens' | 'sessions' | 'interactions' | 'pushedRequests' | 'deviceAuthorizations' | 'passkeyChallenges' | 'auditEvents'
  >,
  config: Pick<GatehouseConfig, 'auditRetentionDays'>,
  now: number,
  keepMs = KEEP_EXPIRED_MS,
): Promise<number> {
  const before = now - keepMs;
  const counts = await Promise.all([
    storage.tokens.purgeExpired(before),
    storage.sessions.deleteExpired(before),
    storage.interactions.deleteExpired(before),
    storage.pushedRequests.deleteExpired(before),
    storage.deviceAuthorizations.deleteExpired(before),
    storage.passkeyChallenges.deleteExpired(before),
    storage.auditEvents.deleteOlderThan(now - config.auditRetentionDays * DAY_MS),
  ]);
  return counts.reduce((sum, count) => sum + count, 0);
}

export interface PurgeSchedule {
  /** Stops the timer and resolves once a sweep under way (which may still log) has finished. */
  stop(): Promise<void>;
}

/** Runs `sweep` every `everyMs`; a failure goes to `onError`. */
export function schedulePurge(sweep: () => Promise<unknown>, options: { everyMs: number; onError: (err: unknown) => void }): PurgeSchedule {
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweep().catch(options.onError);
  }, options.everyMs);
  // A pending sweep never keeps the process alive.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
    },
  };
}
