import type { RateLimit } from '../config/config.js';
import { addressBucket } from '../limits/address-bucket.js';
import type { LimitedSlot, RateLimiter } from '../limits/rate-limiter.js';
import type { UserRepository } from './user-repository.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { User } from './user.js';

/**
 * Failed sign-ins are limited per account and per address: past the limit every attempt, right or wrong, is refused
 * until the window ends. Counting by the email typed, known or not, keeps the limit from revealing which accounts exist.
 */
export const SIGN_IN_LIMITS: { perAccount: RateLimit; perAddress: RateLimit } = {
  perAccount: { count: 5, windowSeconds: 15 * 60 },
  perAddress: { count: 50, windowSeconds: 15 * 60 },
};

export type SignInResult =
  | { status: 'ok'; user: User }
  | { status: 'invalid' }
  | { status: 'throttled'; retryAfter: number }
  /** The password was right, so saying the account is disabled reveals nothing to someone without it. */
  | { status: 'disabled' };

/**
 * The limits a password guess counts against: the account's (by the email typed) and the address's (its IPv6 /64). Every place that
 * checks a password someone typed takes from the same places, so a guess costs the same wherever it is made.
 */
export function passwordGuessSlots(email: string, address: string): LimitedSlot[] {
  return [
    { key: `sign-in:account:${email.trim().toLowerCase()}`, limit: SIGN_IN_LIMITS.perAccount },
    { key: `sign-in:address:${addressBucket(address)}`, limit: SIGN_IN_LIMITS.perAddress },
  ];
}

/** A hash to verify against when the email is unknown, so both cases take the same time (no account enumeration). */
let decoyHash: Promise<string> | undefined;

/**
 * Every attempt reserves its place under both limits before its password is checked, so guesses sent in parallel
 * cannot all be checked while the count still looks low: of N at once against a limit of 5, at most 5 reach argon2.
 * A right password gives its place back; a wrong one keeps it, which is what counts failures.
 */
export async function signIn(
  email: string,
  password: string,
  address: string,
  deps: { users: UserRepository; rateLimiter: RateLimiter },
): Promise<SignInResult> {
  const reservation = await deps.rateLimiter.reserve(passwordGuessSlots(email, address));
  if (!reservation.allowed) return { status: 'throttled', retryAfter: reservation.retryAfter };
  const user = await deps.users.findByEmail(email.trim());
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPassword(await (decoyHash ??= hashPassword('decoy password, never matches')), password).then(() => false);
  if (!user || !valid) return { status: 'invalid' };
  await reservation.release();
  return user.disabled ? { status: 'disabled' } : { status: 'ok', user };
}
