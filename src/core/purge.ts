import type { AuditLog } from './audit/audit-log.js';
import type { GatehouseConfig } from './config/config.js';
import type { SessionEndListener } from './logout/back-channel-logout.js';
import { endExpiredSessions } from './logout/session-expiry.js';
import type { Repositories } from './store.js';

const DAY_MS = 24 * 60 * 60_000;

/** How often `gatehouse serve` sweeps. */
export const PURGE_EVERY_MS = 10 * 60_000;
/** Expired codes (and consent pages) are kept a day past expiry, so a late replay is still recognised as one. */
export const KEEP_EXPIRED_MS = DAY_MS;

export interface PurgeDeps {
  storage: Pick<
    Repositories,
    'tokens' | 'sessions' | 'interactions' | 'pushedRequests' | 'deviceAuthorizations' | 'passkeyChallenges' | 'auditEvents'
  >;
  config: Pick<GatehouseConfig, 'auditRetentionDays'>;
  audit: AuditLog;
  /** Told of the sessions that expired (back-channel logout). */
  backChannelLogout: SessionEndListener;
}

/**
 * What `serve` sweeps on its schedule: codes, access tokens, consent pages, pushed authorization requests, device
 * authorizations and passkey challenges `keepMs` past their expiry, and audit events older than the retention
 * (`GATEHOUSE_AUDIT_RETENTION_DAYS`). Sessions go as soon as they expire, not `keepMs` later: an expired cookie is
 * no session whenever it comes back, and their end is what back-channel clients are told (`endExpiredSessions`), which
 * must not wait a day. Returns how many rows went.
 */
export async function purgeExpired(deps: PurgeDeps, now: number, keepMs = KEEP_EXPIRED_MS): Promise<number> {
  const { storage, config } = deps;
  const before = now - keepMs;
  const counts = await Promise.all([
    storage.tokens.purgeExpired(before),
    endExpiredSessions(now, { sessions: storage.sessions, audit: deps.audit, logout: deps.backChannelLogout }),
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
