import { byUser, type AuditEntry, type AuditLog } from '../audit/audit-log.js';
import type { GatehouseEvents, SignInOutcome } from '../observability/events.js';
import { passwordGuessSlots } from '../users/sign-in.js';
import type { User } from '../users/user.js';
import { openTicket, sealTicket } from './sealed-ticket.js';
import { totpSecretLabel, type MfaDeps } from './mfa-deps.js';
import { recoveryCodeHash } from './recovery-codes.js';
import { matchingStep } from './totp.js';
import { checkAssertion, type AssertionFailure } from './passkey-assertion.js';

/** How long the second step may take after the password: long enough to find the phone, short for a stolen cookie. */
export const PENDING_SIGN_IN_MS = 5 * 60_000;
const PENDING_LABEL = 'pending-sign-in';

/** A code from the app, a recovery code, or a passkey's assertion (`code` is then the browser's JSON answer). */
export type SecondFactorAnswer = { method: 'totp' | 'recovery' | 'passkey'; code: string };

/**
 * What a session begun after each second factor says of itself, as RFC 8176 `amr` values: a password, then a code
 * from an app (`otp`, RFC 6238), a recovery code (a one-time password of another kind) or a passkey (`hwk`: a key
 * held in hardware proved its possession), so several factors (`mfa`).
 */
export const SECOND_FACTOR_AMR: Record<SecondFactorAnswer['method'], string> = {
  totp: 'pwd otp mfa',
  recovery: 'pwd mfa',
  passkey: 'pwd hwk mfa',
};

export type SecondFactorResult =
  { status: 'ok' } | { status: 'invalid'; reason?: AssertionFailure } | { status: 'throttled'; retryAfter: number };

/** Whether signing in as this user takes a second factor after the password: an authenticator app or a passkey. */
export async function hasSecondFactor(userZuid: string, deps: Pick<MfaDeps, 'storage'>): Promise<boolean> {
  return (await deps.storage.factors.findTotp(userZuid)) !== undefined || (await deps.storage.passkeys.countForUser(userZuid)) > 0;
}

/** Which second factors a user can answer with: the sign-in step offers those. */
export async function secondFactorMethods(userZuid: string, deps: Pick<MfaDeps, 'storage'>): Promise<{ totp: boolean; passkey: boolean }> {
  return {
    totp: (await deps.storage.factors.findTotp(userZuid)) !== undefined,
    passkey: (await deps.storage.passkeys.countForUser(userZuid)) > 0,
  };
}

/** The ticket a browser that passed the password holds for the second step: the user, sealed, expiring. */
export function pendingSignInTicket(userZuid: string, deps: Pick<MfaDeps, 'mfaSeal' | 'now'>): Promise<string> {
  return sealTicket(deps.mfaSeal, PENDING_LABEL, userZuid, deps.now() + PENDING_SIGN_IN_MS);
}

/** The user a pending sign-in ticket is for, or undefined when it is missing, expired or not ours. */
export function pendingSignInUser(ticket: string | undefined, deps: Pick<MfaDeps, 'mfaSeal' | 'now'>): Promise<string | undefined> {
  return openTicket(deps.mfaSeal, PENDING_LABEL, ticket, deps.now());
}

/**
 * Checks the second factor of a sign-in. A code (or a passkey's assertion) is guessed like a password, so every attempt first reserves its place
 * under the same per-account and per-address limits (`passwordGuessSlots`); a right code gives it back. A TOTP code is
 * accepted once: the store takes its time step only when later than the last one taken, atomically, so a replayed code
 * (or two parallel submissions of one) passes at most once. A recovery code is used up the same way. Each outcome is
 * an audit event (best-effort, as the password step's) and an observability event of the `second_factor` step.
 */
export async function verifySecondFactor(
  user: User,
  answer: SecondFactorAnswer,
  address: string,
  deps: MfaDeps & { audit: AuditLog; events: GatehouseEvents },
): Promise<SecondFactorResult> {
  const result = await checkSecondFactor(user, answer, address, deps);
  await deps.audit.record(byUser(user, address), secondFactorEvent(result, user, answer.method));
  deps.events.signIn(SECOND_FACTOR_OUTCOME[result.status], 'second_factor');
  return result;
}

/** The second step's outcome as an audit event: `user.signin.succeeded` before it only says the password was right. */
function secondFactorEvent(result: SecondFactorResult, user: User, method: SecondFactorAnswer['method']): AuditEntry {
  // A refused passkey says why (`passkey:counter_regression` may be a cloned authenticator).
  const detail = result.status === 'invalid' && result.reason ? `${method}:${result.reason}` : method;
  const about = { userZuid: user.zuid, subject: user.email, detail };
  if (result.status === 'ok') return { type: 'user.signin.mfa.succeeded', ...about };
  return { type: result.status === 'throttled' ? 'user.signin.mfa.throttled' : 'user.signin.mfa.failed', outcome: 'failure', ...about };
}

const SECOND_FACTOR_OUTCOME: Record<SecondFactorResult['status'], SignInOutcome> = {
  ok: 'success',
  invalid: 'failure',
  throttled: 'throttled',
};

/** The check itself, without events: signing in and proving it is you before a removal share it. */
export async function checkSecondFactor(
  user: User,
  answer: SecondFactorAnswer,
  address: string,
  deps: MfaDeps,
): Promise<SecondFactorResult> {
  const reservation = await deps.rateLimiter.reserve(passwordGuessSlots(user.email, address));
  if (!reservation.allowed) return { status: 'throttled', retryAfter: reservation.retryAfter };
  if (answer.method === 'passkey') {
    const check = await checkAssertion(answer.code, { purpose: 'second-factor', userZuid: user.zuid }, deps);
    if (check.status !== 'ok') return { status: 'invalid', reason: check.reason };
  } else {
    const right =
      answer.method === 'totp' ? await acceptTotpCode(user.zuid, answer.code, deps) : await useRecoveryCode(user.zuid, answer.code, deps);
    if (!right) return { status: 'invalid' };
  }
  await reservation.release();
  return { status: 'ok' };
}

async function acceptTotpCode(userZuid: string, code: string, deps: MfaDeps): Promise<boolean> {
  const factor = await deps.storage.factors.findTotp(userZuid);
  if (!factor) return false;
  const now = deps.now();
  const step = matchingStep(await deps.mfaSeal.open(factor.sealedSecret, totpSecretLabel(userZuid)), code, now);
  return step !== undefined && deps.storage.factors.useTotpStep(userZuid, step, now);
}

function useRecoveryCode(userZuid: string, code: string, deps: MfaDeps): Promise<boolean> {
  if (code.length > 100) return Promise.resolve(false);
  return deps.storage.factors.useRecoveryCode(userZuid, recoveryCodeHash(userZuid, code, deps.hasher), deps.now());
}
