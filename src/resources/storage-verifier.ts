import type { TokenVerifier } from '@gatehouse/resource-server';
import { findLiveAccessTokenRecord } from '../core/tokens/token-lookup.js';
import type { Gatehouse } from '../gatehouse.js';

/**
 * Verifies tokens against Gatehouse's own store, for APIs deployed with it (the sample CRM and FSM APIs, or your own
 * service sharing the database). No cache: a revoked token is refused on the very next request. One keyed hash and
 * one indexed read per request.
 */
export function storageVerifier(gatehouse: Pick<Gatehouse, 'lookup'>): TokenVerifier {
  return async (token) => {
    const record = await findLiveAccessTokenRecord(token, gatehouse.lookup);
    if (!record) return undefined;
    return {
      subject: record.userZuid,
      clientId: record.clientId,
      // Stored in canonical spelling when issued; the guard matches names without the registry.
      scopes: record.scopes.split(' ').filter((s) => s !== ''),
      expiresAt: Math.floor(record.expiresAt / 1000),
    };
  };
}
