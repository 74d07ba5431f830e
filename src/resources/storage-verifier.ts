import type { TokenVerifier } from '@gatehouse/resource-server';
import { findLiveAccessToken } from '../core/tokens/token-lookup.js';
import type { Gatehouse } from '../gatehouse.js';

/**
 * Verifies tokens against Gatehouse's own store, for APIs deployed with it (the sample CRM and FSM APIs, or your own
 * service sharing the database). No cache: a revoked token is refused on the very next request. One keyed hash and
 * one indexed read per request.
 */
export function storageVerifier(gatehouse: Pick<Gatehouse, 'lookup'>): TokenVerifier {
  return async (token) => {
    const found = await findLiveAccessToken(token, gatehouse.lookup);
    if (!found) return undefined;
    return {
      subject: found.record.userZuid,
      clientId: found.record.clientId,
      scopes: found.scopes.map((s) => s.name),
      expiresAt: Math.floor(found.record.expiresAt / 1000),
    };
  };
}
