import { ManagementError } from '../errors/management-error.js';
import type { User } from '../users/user.js';
import { totpSecretLabel, type MfaDeps } from './mfa-deps.js';
import { newRecoveryCodes, recoveryCodeHash } from './recovery-codes.js';
import { openTicket, sealTicket } from './sealed-ticket.js';
import { matchingStep, newTotpSecret, totpUri } from './totp.js';

/** Time to scan the code and type one from the app. */
const ENROLLMENT_MS = 15 * 60_000;
const enrollmentLabel = (userZuid: string) => `totp-enrollment:${userZuid}`;

/** An authenticator app being added: its secret, shown to the user, and the sealed ticket the confirming form carries. */
export interface TotpEnrollment {
  secret: string;
  uri: string;
  ticket: string;
}

/**
 * Starts adding an authenticator app. Nothing is stored until a right code proves the app has the secret: the secret
 * travels, sealed for this user, in the form that confirms it.
 */
export async function startTotpEnrollment(user: User, deps: Pick<MfaDeps, 'mfaSeal' | 'now'>): Promise<TotpEnrollment> {
  const secret = newTotpSecret();
  return {
    secret,
    uri: totpUri(secret, user.email),
    ticket: await sealTicket(deps.mfaSeal, enrollmentLabel(user.zuid), secret, deps.now() + ENROLLMENT_MS),
  };
}

/** The enrollment a ticket carries again (to show the page once more after a wrong code); undefined when it expired. */
export async function resumeTotpEnrollment(user: User, ticket: string | undefined, deps: Pick<MfaDeps, 'mfaSeal' | 'now'>) {
  const secret = await openTicket(deps.mfaSeal, enrollmentLabel(user.zuid), ticket, deps.now());
  return secret === undefined ? undefined : { secret, uri: totpUri(secret, user.email), ticket: ticket! };
}

/**
 * Completes adding the authenticator app once `code` is right for the ticket's secret: stores the secret sealed, with
 * that code's step used (so it cannot sign in), replaces the recovery codes, and returns the new ones, to show once.
 */
export async function confirmTotpEnrollment(user: User, ticket: string | undefined, code: string, deps: MfaDeps): Promise<string[]> {
  const enrollment = await resumeTotpEnrollment(user, ticket, deps);
  if (!enrollment) throw new ManagementError('mfa.enrollment_expired', 'This setup expired. Start again with a new code.', 400);
  const now = deps.now();
  const step = matchingStep(enrollment.secret, code, now);
  if (step === undefined)
    throw new ManagementError('mfa.code_incorrect', 'That code is not right. Type the code your app shows now.', 400, 'code');
  const sealedSecret = await deps.mfaSeal.seal(enrollment.secret, totpSecretLabel(user.zuid));
  const codes = newRecoveryCodes();
  await deps.storage.transaction(async (tx) => {
    await tx.factors.saveTotp({ userZuid: user.zuid, sealedSecret, createdAt: now, lastUsedAt: now, lastStep: step });
    await tx.factors.replaceRecoveryCodes(
      user.zuid,
      codes.map((c) => recoveryCodeHash(user.zuid, c, deps.hasher)),
      now,
    );
  });
  return codes;
}
