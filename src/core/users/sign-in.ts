import type { RateLimit } from '../config/config.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { UserRepository } from '../../storage/storage.js';
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

/** A hash to verify against when the email is unknown, so both cases take the same time (no account enumeration). */
let decoyHash: Promise<string> | undefined;

export async function signIn(
  email: string,
  password: string,
  address: string,
  deps: { users: UserRepository; rateLimiter: RateLimiter },
): Promise<SignInResult> {
  const keys: Array<[string, RateLimit]> = [
    [`sign-in:account:${email.trim().toLowerCase()}`, SIGN_IN_LIMITS.perAccount],
    [`sign-in:address:${address}`, SIGN_IN_LIMITS.perAddress],
  ];
  for (const [key, limit] of keys) {
    const decision = await deps.rateLimiter.peek(key, limit);
    if (!decision.allowed) return { status: 'throttled', retryAfter: decision.retryAfter };
  }
  const user = await deps.users.findByEmail(email.trim());
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPassword(await (decoyHash ??= hashPassword('decoy password, never matches')), password).then(() => false);
  if (user && valid) return user.disabled ? { status: 'disabled' } : { status: 'ok', user };
  for (const [key, limit] of keys) await deps.rateLimiter.hit(key, limit);
  return { status: 'invalid' };
}
