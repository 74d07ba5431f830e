import { byUser, type AuditLog } from '../audit/audit-log.js';
import { ManagementError } from '../errors/management-error.js';
import type { SessionEndListener } from '../logout/back-channel-logout.js';
import type { SessionRepository } from '../sessions/session-repository.js';
import type { UserRepository } from './user-repository.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import { passwordGuessSlots } from './sign-in.js';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js';
import type { User } from './user.js';

const MAX_PASSWORD = 1024;

/**
 * A user replaces their password, proving the current one (`proveCurrentPassword`). Clears the one-time-password flag.
 * Every session of the user ends with the old password.
 */
export async function changePassword(
  user: User,
  input: { current: string; next: string; confirmation: string },
  address: string,
  deps: {
    users: UserRepository;
    sessions: SessionRepository;
    rateLimiter: RateLimiter;
    audit: AuditLog;
    backChannelLogout: SessionEndListener;
  },
): Promise<void> {
  await proveCurrentPassword(user, input.current, address, deps);
  if (input.next.length < MIN_PASSWORD_LENGTH || input.next.length > MAX_PASSWORD) {
    throw new ManagementError(
      'user.password_invalid',
      `The new password must be ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD} characters long.`,
      400,
      'new_password',
    );
  }
  if (input.next !== input.confirmation)
    throw new ManagementError('user.password_mismatch', 'The two new passwords are not the same.', 400, 'confirm_password');
  if (input.next === input.current)
    throw new ManagementError('user.password_unchanged', 'Choose a password different from the current one.', 400, 'new_password');
  await deps.users.updatePassword(user.zuid, await hashPassword(input.next), false);
  // Whoever signed in with the old password (a thief, a forgotten browser) is signed out; the caller starts this
  // browser a new session.
  const sids = await deps.sessions.deleteForUser(user.zuid);
  const by = byUser(user, address);
  await deps.audit.record(by, { type: 'user.password.changed', userZuid: user.zuid });
  deps.backChannelLogout.sessionsEnded({ userZuid: user.zuid, sids, everySession: true, by });
}

/**
 * A signed-in user proves they know the password before a change that matters (a new password, removing a second
 * factor). It is a password guess like a sign-in (someone holding a stolen session could otherwise try passwords here
 * without limit), so it takes its place under the same limits first. Throws a ManagementError for the field
 * `current_password` when wrong or throttled.
 */
export async function proveCurrentPassword(
  user: User,
  password: string,
  address: string,
  deps: { rateLimiter: RateLimiter },
): Promise<void> {
  const reservation = await deps.rateLimiter.reserve(passwordGuessSlots(user.email, address));
  if (!reservation.allowed) {
    throw new ManagementError(
      'user.password_throttled',
      `Too many wrong passwords. Try again in ${Math.ceil(reservation.retryAfter / 60)} minutes.`,
      429,
      'current_password',
    );
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new ManagementError('user.password_incorrect', 'The current password is not correct.', 400, 'current_password');
  }
  await reservation.release();
}
