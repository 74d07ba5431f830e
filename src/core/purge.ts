import type { GatehouseConfig } from './config/config.js';
import type { Repositories } from './store.js';

const DAY_MS = 24 * 60 * 60_000;

/** Expired codes (and sessions, consent pages) are kept a day past expiry, so a late replay is still recognised as one. */
const KEEP_EXPIRED_MS = DAY_MS;

/**
 * What `serve` sweeps on its schedule: credentials and pages a day past their expiry, and audit events older than the
 * retention (`GATEHOUSE_AUDIT_RETENTION_DAYS`).
 */
export async function purgeExpired(
  storage: Pick<Repositories, 'tokens' | 'sessions' | 'interactions' | 'deviceAuthorizations' | 'auditEvents'>,
  config: Pick<GatehouseConfig, 'auditRetentionDays'>,
  now: number,
): Promise<void> {
  const before = now - KEEP_EXPIRED_MS;
  await Promise.all([
    storage.tokens.purgeExpired(before),
    storage.sessions.deleteExpired(before),
    storage.interactions.deleteExpired(before),
    storage.deviceAuthorizations.deleteExpired(before),
    storage.auditEvents.deleteOlderThan(now - config.auditRetentionDays * DAY_MS),
  ]);
}
