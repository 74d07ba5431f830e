import type { TokenInfo, TokenVerifier } from '@gatehouse/resource-server';
import { findLiveAccessTokenRecord, peekLiveAccessTokenRecord } from '../core/tokens/token-lookup.js';
import { audienceAllows } from '../core/tokens/resource-indicators.js';
import type { Gatehouse } from '../gatehouse.js';
import type { AccessToken } from '../core/tokens/token-repository.js';
import { oncePerRememberedRow } from './once-per-row.js';

/**
 * A token's info from memory alone: the live token's, or undefined when it is not in memory (or not live, or bound to
 * a DPoP key).
 */
export type MemoryTokenCheck = (token: string) => TokenInfo | undefined;

/**
 * The resource identifiers (RFC 8707) of the API the verifier serves: a token restricted to an audience (it was asked
 * for with `resource`) is refused unless one of these is among it. Absent: every audience is accepted, as before
 * resource indicators. Tokens without an audience are accepted everywhere either way.
 */
export interface StorageVerifierOptions {
  resources?: readonly string[];
}

/**
 * Verifies tokens against Gatehouse's own store, for APIs deployed with it (the sample CRM and FSM APIs, or your own
 * service sharing the database). Nothing here remembers a token: a revoked one is refused on the very next request.
 * One keyed hash and one point read per request, which a SQLite store may answer from its read cache (cleared by any
 * change, so never stale; `storage/sql/read-cache.ts`). When it does, the answer comes at once, not as a promise.
 * JWT access tokens (RFC 9068) are looked up the same way, by their whole value, so a revoked one is refused too.
 */
export function storageVerifier(gatehouse: Pick<Gatehouse, 'lookup'>, options: StorageVerifierOptions = {}): TokenVerifier {
  const fromMemory = memoryTokenCheck(gatehouse, options);
  const usable = usableHere(options);
  return (token) =>
    fromMemory(token) ??
    findLiveAccessTokenRecord(token, gatehouse.lookup).then((record) => (record && usable(record) ? tokenInfo(record) : undefined));
}

/** `storageVerifier`'s answer when the store's read cache holds it; never reads (see `TokenRepository.peekAccessToken`). */
export function memoryTokenCheck(gatehouse: Pick<Gatehouse, 'lookup'>, options: StorageVerifierOptions = {}): MemoryTokenCheck {
  const { lookup } = gatehouse;
  const usable = usableHere(options);
  return (token) => {
    const remembered = peekLiveAccessTokenRecord(token, lookup);
    // A DPoP-bound token is never answered from memory: its proof must be checked, which the full guard does.
    return remembered && remembered.jkt === null && usable(remembered) ? tokenInfo(remembered) : undefined;
  };
}

/** Whether a token's audience lets it be used at this API; a token without one (the usual) costs one comparison. */
function usableHere(options: StorageVerifierOptions): (record: AccessToken) => boolean {
  const { resources } = options;
  return (record) => record.audience === undefined || resources === undefined || audienceAllows(record.audience, resources);
}

/** A token's info, built once per remembered token row rather than per request. */
const tokenInfo = oncePerRememberedRow((record: AccessToken): TokenInfo => ({
  subject: record.userZuid,
  clientId: record.clientId,
  // Stored in canonical spelling when issued; the guard matches names without the registry.
  scopes: record.scopes.split(' ').filter((s) => s !== ''),
  expiresAt: Math.floor(record.expiresAt / 1000),
  ...(record.jkt === null ? {} : { jkt: record.jkt }),
  ...(record.orgId === undefined ? {} : { orgId: record.orgId }),
}));
