import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import { ManagementError } from '../errors/management-error.js';
import type { StoreOf } from '../store.js';
import type { SessionEndListener } from '../logout/back-channel-logout.js';
import { proveCurrentPassword } from '../users/change-password.js';
import type { User } from '../users/user.js';
import type { RecoveryCodeSummary, TotpFactor } from './factor-repository.js';
import type { MfaDeps } from './mfa-deps.js';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes.js';

/** What a user (or an administrator) sees of the user's factors. */
export interface FactorSummary {
  totp: Pick<TotpFactor, 'createdAt' | 'lastUsedAt'> | undefined;
  recoveryCodes: RecoveryCodeSummary;
}

export async function factorSummary(userZuid: string, deps: Pick<MfaDeps, 'storage'>): Promise<FactorSummary> {
  const totp = await deps.storage.factors.findTotp(userZuid);
  return {
    totp: totp && { createdAt: totp.createdAt, lastUsedAt: totp.lastUsedAt },
    recoveryCodes: await deps.storage.factors.recoveryCodes(userZuid),
  };
}

/** The user removes their authenticator app (and its recovery codes), proving the password first. */
export async function removeTotp(user: User, password: string, address: string, deps: MfaDeps): Promise<void> {
  await proveCurrentPassword(user, password, address, deps);
  await deps.storage.transaction((tx) => tx.factors.deleteAll(user.zuid));
}

/** A new set of recovery codes replaces the old one (all of it), the password proven first. Returns the codes, to show once. */
export async function renewRecoveryCodes(user: User, password: string, address: string, deps: MfaDeps): Promise<string[]> {
  await proveCurrentPassword(user, password, address, deps);
  if (!(await deps.storage.factors.findTotp(user.zuid)))
    throw new ManagementError('mfa.no_factor', 'Add an authenticator app first: recovery codes stand in for it.', 400);
  const codes = newRecoveryCodes();
  const hashes = codes.map((c) => recoveryCodeHash(user.zuid, c, deps.hasher));
  await deps.storage.transaction((tx) => tx.factors.replaceRecoveryCodes(user.zuid, hashes, deps.now()));
  return codes;
}

/**
 * An administrator removes every factor of a user who lost them (the phone, the codes), and ends the user's sessions:
 * the next sign-in is with the password alone, then the user adds a factor again. The audit event lands in the same
 * transaction, as an administrator's other account changes do. Returns how many factors went.
 */
export async function resetFactors(
  user: Pick<User, 'zuid' | 'email'>,
  by: AuditContext,
  deps: { storage: StoreOf<'factors' | 'sessions' | 'auditEvents'>; audit: AuditLog; backChannelLogout: SessionEndListener },
): Promise<number> {
  const { removed, sids } = await deps.storage.transaction(async (tx) => {
    const removed = await tx.factors.deleteAll(user.zuid);
    await deps.audit.appendIn(tx.auditEvents, by, { type: 'user.mfa.reset', userZuid: user.zuid, subject: user.email });
    return { removed, sids: await tx.sessions.deleteForUser(user.zuid) };
  });
  deps.backChannelLogout.sessionsEnded({ userZuid: user.zuid, sids, everySession: true, by });
  return removed;
}

/** What administrators are shown of a user's factors (`gatehouse user mfa --json`, `/api/v1/users/:zuid/mfa`). */
export type FactorStatus = {
  totp: boolean;
  /** Passkeys are not implemented yet; the field is there so that scripts can rely on the shape. */
  passkeys: number;
  recovery_codes_left: number;
};

export function factorStatus(summary: FactorSummary): FactorStatus {
  return { totp: summary.totp !== undefined, passkeys: 0, recovery_codes_left: summary.recoveryCodes.left };
}
