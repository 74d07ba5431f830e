import type { TokenInfo, TokenVerifier } from '@gatehouse/resource-server';
import { findLiveAccessTokenRecord, peekLiveAccessTokenRecord } from '../core/tokens/token-lookup.js';
import type { Gatehouse } from '../gatehouse.js';
import type { AccessToken } from '../storage/storage.js';

/** A token's info from memory alone: the live token's, or undefined when it is not in memory (or not live). */
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
    return remembered && tokenInfo(remembered);
  };
}

/**
 * A token's info. Rows from the store's read cache are frozen and replaced by a new object on any change, so their info
 * is built once per row rather than per request, and frozen in turn, since every request with the token shares it.
 */
const infoOfRememberedRow = new WeakMap<AccessToken, TokenInfo>();
function tokenInfo(record: AccessToken): TokenInfo {
  let info = infoOfRememberedRow.get(record);
  if (info === undefined) {
    info = {
      subject: record.userZuid,
      clientId: record.clientId,
      // Stored in canonical spelling when issued; the guard matches names without the registry.
      scopes: record.scopes.split(' ').filter((s) => s !== ''),
      expiresAt: Math.floor(record.expiresAt / 1000),
    };
    if (Object.isFrozen(record)) {
      Object.freeze(info.scopes);
      infoOfRememberedRow.set(record, Object.freeze(info));
    }
  }
  return info;
}
