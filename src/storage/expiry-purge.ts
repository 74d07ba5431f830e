import type { Storage } from '../core/store.js';

/** How often `gatehouse serve` sweeps, and how long past expiry a row is kept. */
export const PURGE_EVERY_MS = 10 * 60_000;
/** Expired codes (and sessions, consent pages) are kept a day past expiry, so a late replay is still recognised as one, then swept. */
export const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

/** Deletes every code, access token, session, consent page and device authorization that expired before `before`. */
export async function purgeExpired(storage: Storage, before: number): Promise<number> {
  const { tokens, sessions, interactions, deviceAuthorizations } = storage;
  const counts = await Promise.all([
    tokens.purgeExpired(before),
    sessions.deleteExpired(before),
    interactions.deleteExpired(before),
    deviceAuthorizations.deleteExpired(before),
  ]);
  return counts.reduce((sum, count) => sum + count, 0);
}

export interface PurgeSchedule {
  /** Stops the timer and resolves once a purge under way (which may still log) has finished. */
  stop(): Promise<void>;
}

/** Runs `purgeExpired` every `everyMs`, for rows expired more than `keepMs` before `now()`; a failure goes to `onError`. */
export function schedulePurge(
  storage: Storage,
  options: { now: () => number; everyMs: number; keepMs: number; onError: (err: unknown) => void },
): PurgeSchedule {
  let purging: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    purging = purgeExpired(storage, options.now() - options.keepMs).catch(options.onError);
  }, options.everyMs);
  // A pending sweep never keeps the process alive.
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await purging;
    },
  };
}
