import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import { ManagementError } from '../errors/management-error.js';
import type { EndedSessions, SessionEndListener } from '../logout/back-channel-logout.js';
import type { StoreOf, Transaction } from '../store.js';
import type { UserRepository } from './user-repository.js';
import { hashPassword, oneTimePassword } from './passwords.js';
import type { User } from './user.js';

/**
 * What an administrator does to an account (the console, `/api/v1`, the CLI). Every change of what a user may do ends
 * their sessions, so no browser keeps a session begun under the old rights: they sign in again, with a new session ID.
 * The clients that registered back-channel logout are told once the change commits.
 */
export interface UserAdminDeps {
  storage: StoreOf<'users' | 'sessions' | 'tokens' | 'apiTokens' | 'auditEvents'>;
  /** Each change's event is appended in its transaction: the change and its record land together. */
  audit: AuditLog;
  /** Told of the sessions each change ended, after it commits (back-channel logout). */
  backChannelLogout: SessionEndListener;
}

/** The part of a transaction an account change writes to; the seed file applies several in one. */
export type UserAdminTransaction = Pick<Transaction, 'users' | 'sessions' | 'tokens' | 'apiTokens' | 'auditEvents'>;

export async function findUser(zuid: string, users: UserRepository): Promise<User> {
  const user = await users.findByZuid(zuid);
  if (!user) throw new ManagementError('user.not_found', 'No user has this ZUID.', 404, 'zuid');
  return user;
}

export async function findUserByEmail(email: string, users: UserRepository): Promise<User> {
  const user = await users.findByEmail(email.trim());
  if (!user) throw new ManagementError('user.not_found', 'No user has this email.', 404, 'email');
  return user;
}

/**
 * Disables the account: no sign-in, no new token, and everything it holds stops working at once (sessions, codes,
 * access and refresh tokens for every client, API tokens). The flag is set first: on PostgreSQL that waits for any
 * transaction issuing the user a token, so the revocation after it sees that token (`TokenRepository.createAccessToken`).
 */
export async function disableUser(user: User, by: AuditContext, deps: UserAdminDeps): Promise<User> {
  const ended = await deps.storage.transaction((tx) => disableUserIn(tx, user, by, deps.audit));
  deps.backChannelLogout.sessionsEnded(ended);
  return { ...user, disabled: true };
}

/** `disableUser`'s writes, inside the caller's transaction; what to tell back-channel clients once it commits. */
export async function disableUserIn(tx: UserAdminTransaction, user: User, by: AuditContext, audit: AuditLog): Promise<EndedSessions> {
  await tx.users.setDisabled(user.zuid, true);
  const sids = await tx.sessions.deleteForUser(user.zuid);
  await tx.tokens.revokeAllForUser(user.zuid);
  await tx.apiTokens.deleteForUser(user.zuid);
  await audit.appendIn(tx.auditEvents, by, { type: 'user.disabled', userZuid: user.zuid, subject: user.email });
  // Even with no session live here: the user's sessions at the clients may outlive ours.
  return { userZuid: user.zuid, sids, everySession: true, evenWithoutSessions: true, by };
}

/**
 * Lets the user sign in again. What disabling revoked stays revoked. A session begun by a sign-in that raced the disable
 * (refused while disabled, see `sessionSignIn`) ends here rather than coming back to life.
 */
export async function enableUser(user: User, by: AuditContext, deps: UserAdminDeps): Promise<User> {
  if (!user.disabled) return user;
  const ended = await deps.storage.transaction((tx) => enableUserIn(tx, user, by, deps.audit));
  deps.backChannelLogout.sessionsEnded(ended);
  return { ...user, disabled: false };
}

/** `enableUser`'s writes, inside the caller's transaction; what to tell back-channel clients once it commits. */
export async function enableUserIn(tx: UserAdminTransaction, user: User, by: AuditContext, audit: AuditLog): Promise<EndedSessions> {
  await tx.users.setDisabled(user.zuid, false);
  const sids = await tx.sessions.deleteForUser(user.zuid);
  await audit.appendIn(tx.auditEvents, by, { type: 'user.enabled', userZuid: user.zuid, subject: user.email });
  return { userZuid: user.zuid, sids, everySession: true, by };
}

/** Grants or takes away the administrator role; when the user has that role already, nothing changes and no session ends. */
export async function setAdministrator(user: User, isAdmin: boolean, by: AuditContext, deps: UserAdminDeps): Promise<User> {
  if (user.isAdmin === isAdmin) return user;
  const ended = await deps.storage.transaction((tx) => setAdministratorIn(tx, user, isAdmin, by, deps.audit));
  deps.backChannelLogout.sessionsEnded(ended);
  return { ...user, isAdmin };
}

/** `setAdministrator`'s writes, inside the caller's transaction; what to tell back-channel clients once it commits. */
export async function setAdministratorIn(
  tx: UserAdminTransaction,
  user: User,
  isAdmin: boolean,
  by: AuditContext,
  audit: AuditLog,
): Promise<EndedSessions> {
  await tx.users.setAdmin(user.zuid, isAdmin);
  const sids = await tx.sessions.deleteForUser(user.zuid);
  const role = isAdmin ? 'administrator' : 'user';
  await audit.appendIn(tx.auditEvents, by, { type: 'user.role.changed', userZuid: user.zuid, subject: user.email, detail: role });
  return { userZuid: user.zuid, sids, everySession: true, by };
}

/**
 * Account recovery: a one-time password (as the first admin gets), to be replaced at the next sign-in, and every session
 * ended. The user's OAuth tokens stay: resetting a forgotten password is not a breach; disable the user for that.
 */
export async function resetPassword(user: User, by: AuditContext, deps: UserAdminDeps): Promise<{ user: User; password: string }> {
  const password = oneTimePassword();
  const passwordHash = await hashPassword(password);
  const ended = await deps.storage.transaction((tx) => setPasswordIn(tx, user, passwordHash, true, by, deps.audit));
  deps.backChannelLogout.sessionsEnded(ended);
  return { user: { ...user, passwordHash, mustChangePassword: true }, password };
}

/**
 * An administrator's new password for the user (a reset, the seed file): every session ends; OAuth tokens stay.
 * Returns what to tell back-channel clients once the transaction commits.
 */
export async function setPasswordIn(
  tx: UserAdminTransaction,
  user: User,
  passwordHash: string,
  mustChangePassword: boolean,
  by: AuditContext,
  audit: AuditLog,
): Promise<EndedSessions> {
  await tx.users.updatePassword(user.zuid, passwordHash, mustChangePassword);
  const sids = await tx.sessions.deleteForUser(user.zuid);
  await audit.appendIn(tx.auditEvents, by, { type: 'user.password.reset', userZuid: user.zuid, subject: user.email });
  return { userZuid: user.zuid, sids, everySession: true, by };
}
