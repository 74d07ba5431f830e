import type { TokenInfo, TokenVerifier } from '@gatehouse/resource-server';
import { findLiveAccessTokenRecord, peekLiveAccessTokenRecord } from '../core/tokens/token-lookup.js';
import type { Gatehouse } from '../gatehouse.js';
import type { AccessToken } from '../core/tokens/token-repository.js';
import { oncePerRememberedRow } from './once-per-row.js';

/**
 * A token's info from memory alone: the live token's, or undefined when it is not in memory (or not live, or bound to
 * a DPoP key).
 */
export type MemoryTokenCheck = (token: string) => TokenInfo | undefined;

/**
 * Verifies tokens against Gatehouse's own store, for APIs deployed with it (the sample CRM and FSM APIs, or your own
 * service sharing the database). Nothing here remembers a token: a revoked one is refused on the very next request.
 * One keyed hash and one point read per request, which a SQLite store may answer from its read cache (cleared by any
 * change, so never stale; `storage/sql/read-cache.ts`). When it does, the answer comes at once, not as a promise.
 */
export function storageVerifier(gatehouse: Pick<Gatehouse, 'lookup'>): TokenVerifier {
  const fromMemory = memoryTokenCheck(gatehouse);
  return (token) => fromMemory(token) ?? findLiveAccessTokenRecord(token, gatehouse.lookup).then((record) => record && tokenInfo(record));
}

/** `storageVerifier`'s answer when the store's read cache holds it; never reads (see `TokenRepository.peekAccessToken`). */
export function memoryTokenCheck(gatehouse: Pick<Gatehouse, 'lookup'>): MemoryTokenCheck {
  const { lookup } = gatehouse;
  return (token) => {
    const remembered = peekLiveAccessTokenRecord(token, lookup);
    // A DPoP-bound token is never answered from memory: its proof must be checked, which the full guard does.
    return remembered && remembered.jkt === null ? tokenInfo(remembered) : undefined;
  };
}

/** A token's info, built once per remembered token row rather than per request. */
const tokenInfo = oncePerRememberedRow((record: AccessToken): TokenInfo => ({
  subject: record.userZuid,
  clientId: record.clientId,
  // Stored in canonical spelling when issued; the guard matches names without the registry.
  scopes: record.scopes.split(' ').filter((s) => s !== ''),
  expiresAt: Math.floor(record.expiresAt / 1000),
  ...(record.jkt === null ? {} : { jkt: record.jkt }),
}));
