import { byUser, type AuditContext, type AuditEntry, type AuditLog } from '../audit/audit-log.js';
import { ManagementError } from '../errors/management-error.js';
import type { Repositories, StoreOf } from '../store.js';
import type { SessionEndListener } from '../logout/back-channel-logout.js';
import { proveCurrentPassword } from '../users/change-password.js';
import type { User } from '../users/user.js';
import type { RecoveryCodeSummary, TotpFactor } from './factor-repository.js';
import type { MfaDeps } from './mfa-deps.js';
import { describePasskey } from './passkey-registration.js';
import type { Passkey } from './passkey-repository.js';
import { policyCovers } from './policy.js';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes.js';
import { checkSecondFactor, type SecondFactorAnswer } from './second-factor.js';

/** What a user (or an administrator) sees of the user's factors. */
export interface FactorSummary {
  totp: Pick<TotpFactor, 'createdAt' | 'lastUsedAt'> | undefined;
  passkeys: Array<Pick<Passkey, 'credentialId' | 'name' | 'createdAt' | 'lastUsedAt'>>;
  recoveryCodes: RecoveryCodeSummary;
}

export async function factorSummary(
  userZuid: string,
  deps: { storage: Pick<Repositories, 'factors' | 'passkeys'> },
): Promise<FactorSummary> {
  const totp = await deps.storage.factors.findTotp(userZuid);
  const passkeys = await deps.storage.passkeys.listForUser(userZuid);
  return {
    totp: totp && { createdAt: totp.createdAt, lastUsedAt: totp.lastUsedAt },
    passkeys: passkeys.map(({ credentialId, name, createdAt, lastUsedAt }) => ({ credentialId, name, createdAt, lastUsedAt })),
    recoveryCodes: await deps.storage.factors.recoveryCodes(userZuid),
  };
}

/**
 * How a signed-in user proves it is them before removing a factor: the password, or a current factor (a code from
 * the app, a recovery code, a passkey), so someone who signed in with a passkey alone need not know a password. Each
 * is a guess under the same limits as signing in.
 */
export type IdentityProof = { password: string } | SecondFactorAnswer;

async function proveIdentity(user: User, proof: IdentityProof, address: string, deps: MfaDeps): Promise<void> {
  if ('password' in proof) return proveCurrentPassword(user, proof.password, address, deps);
  const result = await checkSecondFactor(user, proof, address, deps);
  if (result.status === 'throttled')
    throw new ManagementError('mfa.throttled', `Too many failed attempts. Try again in ${Math.ceil(result.retryAfter / 60)} minutes.`, 429);
  if (result.status === 'invalid')
    throw new ManagementError(
      'mfa.proof_incorrect',
      'That did not confirm it is you. Type your password or a current code, or use a passkey.',
      400,
    );
}

/** Which factor to remove: the authenticator app (its recovery codes go with it), one passkey, or the recovery codes. */
export type FactorToRemove = { kind: 'totp' } | { kind: 'passkey'; credentialId: string } | { kind: 'recovery-codes' };

/**
 * The user removes a factor, proving it is them first. A user `GATEHOUSE_REQUIRE_MFA` covers keeps at least one factor
 * (an app or a passkey; recovery codes stand in for the app, they are not one): removing the last is refused. The
 * count, the removal and its audit event are one transaction, under a per-user lock, so two removals in parallel
 * cannot each leave the other's factor as the last.
 */
export async function removeFactor(
  user: User,
  factor: FactorToRemove,
  proof: IdentityProof,
  address: string,
  deps: MfaDeps,
): Promise<void> {
  await proveIdentity(user, proof, address, deps);
  await deps.storage.transaction(async (tx) => {
    await tx.lock(`mfa:${user.zuid}`);
    const hasTotp = (await tx.factors.findTotp(user.zuid)) !== undefined;
    const passkey = factor.kind === 'passkey' ? await tx.passkeys.find(factor.credentialId) : undefined;
    if (factor.kind === 'passkey' && passkey?.userZuid !== user.zuid)
      throw new ManagementError('mfa.not_found', 'That passkey is not on your account any more.', 404);
    if (factor.kind === 'totp' && !hasTotp) throw new ManagementError('mfa.not_found', 'You have no authenticator app to remove.', 404);
    const left = (hasTotp ? 1 : 0) + (await tx.passkeys.countForUser(user.zuid)) - (factor.kind === 'recovery-codes' ? 0 : 1);
    if (left === 0 && policyCovers(deps.config.requireMfa, user))
      throw new ManagementError(
        'mfa.last_factor',
        'This server requires a second step for your account: add another authenticator app or passkey before removing this one.',
        409,
      );
    let entry: AuditEntry;
    if (factor.kind === 'passkey') {
      await tx.passkeys.remove(user.zuid, factor.credentialId);
      entry = { type: 'user.passkey.removed', userZuid: user.zuid, subject: describePasskey(passkey!) };
    } else {
      if (factor.kind === 'totp') await tx.factors.deleteAll(user.zuid);
      else await tx.factors.replaceRecoveryCodes(user.zuid, [], deps.now());
      entry = { type: 'user.mfa.removed', userZuid: user.zuid, subject: user.email, detail: factor.kind };
    }
    await deps.audit.appendIn(tx.auditEvents, byUser(user, address), entry);
  });
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
 * An administrator removes every factor of a user who lost them (the phone, the codes, the passkeys), and ends the
 * user's sessions: the next sign-in is with the password alone, then the user adds a factor again. The audit event
 * lands in the same transaction, as an administrator's other account changes do. Returns how many factors went.
 */
export async function resetFactors(
  user: Pick<User, 'zuid' | 'email'>,
  by: AuditContext,
  deps: {
    storage: StoreOf<'factors' | 'passkeys' | 'sessions' | 'auditEvents'>;
    audit: AuditLog;
    backChannelLogout: SessionEndListener;
  },
): Promise<number> {
  const { removed, sids } = await deps.storage.transaction(async (tx) => {
    const removed = (await tx.factors.deleteAll(user.zuid)) + (await tx.passkeys.removeAllForUser(user.zuid));
    await deps.audit.appendIn(tx.auditEvents, by, { type: 'user.mfa.reset', userZuid: user.zuid, subject: user.email });
    return { removed, sids: await tx.sessions.deleteForUser(user.zuid) };
  });
  deps.backChannelLogout.sessionsEnded({ userZuid: user.zuid, sids, everySession: true, by });
  return removed;
}

/** What administrators are shown of a user's factors (`gatehouse user mfa --json`, `/api/v1/users/:zuid/mfa`). */
export type FactorStatus = {
  totp: boolean;
  passkeys: number;
  recovery_codes_left: number;
};

export function factorStatus(summary: FactorSummary): FactorStatus {
  return { totp: summary.totp !== undefined, passkeys: summary.passkeys.length, recovery_codes_left: summary.recoveryCodes.left };
}
