import type { GatehouseEvents, LimitName } from '../observability/events.js';
import type { LimitedSlot, RateLimiter, Reservation } from './rate-limiter.js';

/** The limit each kind of key counts for, by the key's first segment (the places that reserve name them so). */
const LIMITS_BY_PREFIX: ReadonlyMap<string, LimitName> = new Map([
  ['sign-in', 'sign_in'],
  ['refresh', 'refresh_rate'],
  ['code', 'code_rate'],
  ['user_code', 'device_user_code'],
]);

/** The limit a slot's key counts for; undefined for a key of no known limit (never counted, so never an unbounded label). */
export function limitOfKey(key: string): LimitName | undefined {
  return LIMITS_BY_PREFIX.get(key.slice(0, key.indexOf(':')));
}

/**
 * A rate limiter that reports each refused reservation, named by its limit, in one place rather than at every
 * `reserve`. A reservation of several slots (a sign-in: the account's and the address's) counts once, under the first
 * slot's limit; the limiter does not say which slot was full, and both belong to the same limit.
 */
export function reportingRefusals(limiter: RateLimiter, events: GatehouseEvents): RateLimiter {
  return {
    async reserve(slots: readonly LimitedSlot[]): Promise<Reservation> {
      const reservation = await limiter.reserve(slots);
      if (!reservation.allowed) {
        const limit = slots[0] && limitOfKey(slots[0].key);
        if (limit) events.limitRefused(limit);
      }
      return reservation;
    },
    ready: () => limiter.ready(),
    close: () => limiter.close(),
  };
}
