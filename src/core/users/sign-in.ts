import { actors, type AuditEntry, type AuditLog } from '../audit/audit-log.js';
import type { RateLimit } from '../config/config.js';
import { addressBucket } from '../limits/address-bucket.js';
import type { LimitedSlot, RateLimiter } from '../limits/rate-limiter.js';
import type { GatehouseEvents, SignInOutcome } from '../observability/events.js';
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
  return [{ key: `sign-in:account:${email.trim().toLowerCase()}`, limit: SIGN_IN_LIMITS.perAccount }, signInAddressSlot(address)];
}

/** The address's share of the sign-in limits, which a sign-in without a password (a passkey alone) takes from too. */
export function signInAddressSlot(address: string): LimitedSlot {
  return { key: `sign-in:address:${addressBucket(address)}`, limit: SIGN_IN_LIMITS.perAddress };
}

/** A hash to verify against when the email is unknown, so both cases take the same time (no account enumeration). */
let decoyHash: Promise<string> | undefined;

/**
 * Every attempt reserves its place under both limits before its password is checked, so guesses sent in parallel
 * cannot all be checked while the count still looks low: of N at once against a limit of 5, at most 5 reach argon2.
 * A right password gives its place back; a wrong one keeps it, which is what counts failures.
 *
 * Every outcome is an audit event, appended best-effort (a store that cannot take it does not stop a sign-in; throttled
 * ones once per address and refusal), and an observability event (the metrics, the overview). The email as typed is kept as the audit subject, so guesses at
 * unknown accounts show up too; the password never is.
 */
export async function signIn(
  email: string,
  password: string,
  address: string,
  deps: { users: UserRepository; rateLimiter: RateLimiter; audit: AuditLog; events: GatehouseEvents },
): Promise<SignInResult> {
  const result = await checkPassword(email, password, address, deps);
  const actor = result.status === 'ok' ? actors.user(result.user) : actors.anonymous;
  const event = signInEvent(result, email);
  // Throttled guesses are recorded once per address (its /64) per refusal, whatever accounts they name.
  if (result.status === 'throttled')
    await deps.audit.recordRefusal({ actor, address }, event, `sign-in:${addressBucket(address)}`, result.retryAfter);
  else await deps.audit.record({ actor, address }, event);
  deps.events.signIn(SIGN_IN_OUTCOME[result.status], 'password');
  if (result.status !== 'failed') return result;
  return { status: result.reason === 'disabled' ? 'disabled' : 'invalid' };
}

function signInEvent(result: PasswordCheck, email: string): AuditEntry {
  const about = { userZuid: result.user?.zuid ?? null, subject: email.trim().slice(0, MAX_AUDITED_EMAIL) };
  if (result.status === 'ok') return { type: 'user.signin.succeeded', ...about };
  if (result.status === 'throttled') return { type: 'user.signin.throttled', outcome: 'failure', ...about };
  return { type: 'user.signin.failed', outcome: 'failure', detail: result.reason, ...about };
}

/** A disabled account's right password is a failure too: no session comes of it. */
const SIGN_IN_OUTCOME: Record<PasswordCheck['status'], SignInOutcome> = { ok: 'success', failed: 'failure', throttled: 'throttled' };

/** Longer than any real address (RFC 5321 allows 254); what was typed beyond it is not worth keeping. */
const MAX_AUDITED_EMAIL = 320;

type PasswordCheck =
  | { status: 'ok'; user: User }
  | { status: 'throttled'; retryAfter: number; user?: undefined }
  | { status: 'failed'; reason: 'unknown_account' | 'wrong_password' | 'disabled'; user: User | undefined };

async function checkPassword(
  email: string,
  password: string,
  address: string,
  deps: { users: UserRepository; rateLimiter: RateLimiter },
): Promise<PasswordCheck> {
  const reservation = await deps.rateLimiter.reserve(passwordGuessSlots(email, address));
  if (!reservation.allowed) return { status: 'throttled', retryAfter: reservation.retryAfter };
  const user = await deps.users.findByEmail(email.trim());
  const valid = user
    ? await verifyPassword(user.passwordHash, password)
    : await verifyPassword(await (decoyHash ??= hashPassword('decoy password, never matches')), password).then(() => false);
  if (!user) return { status: 'failed', reason: 'unknown_account', user };
  if (!valid) return { status: 'failed', reason: 'wrong_password', user };
  await reservation.release();
  return user.disabled ? { status: 'failed', reason: 'disabled', user } : { status: 'ok', user };
}
