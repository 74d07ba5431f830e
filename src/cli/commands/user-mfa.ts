import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { factorStatus, factorSummary, resetFactors, type FactorSummary } from '../../core/mfa/manage-factors.js';
import type { Command } from '../command.js';
import { EMAIL, withUserByEmail } from './user-admin.js';

/** One line a person reads: which factors, when, and how many recovery codes are left. */
function describe(email: string, summary: FactorSummary): string {
  const { totp, passkeys, recoveryCodes } = summary;
  if (!totp && passkeys.length === 0) return `${email}: no second factor (signs in with the password alone).`;
  const since = (f: { createdAt: number; lastUsedAt: number | null }) =>
    `added ${new Date(f.createdAt).toISOString()}${f.lastUsedAt === null ? '' : `, last used ${new Date(f.lastUsedAt).toISOString()}`}`;
  const parts = [
    ...(totp ? [`authenticator app ${since(totp)}; ${recoveryCodes.left} recovery codes left`] : []),
    ...passkeys.map((p) => `passkey "${p.name}" ${since(p)}`),
  ];
  return `${email}: ${parts.join('; ')}.`;
}

export const userMfaResetCommand: Command = {
  words: ['user', 'mfa', 'reset'],
  summary: "Remove every second factor of a user (a lost phone) and end the user's sessions.",
  options: { email: EMAIL },
  async run(values, settings) {
    return withUserByEmail(values, settings, async (user, gatehouse) => {
      const removed = await resetFactors(user, CLI_CONTEXT, gatehouse);
      return {
        json: factorStatus(await factorSummary(user.zuid, gatehouse)),
        text: `${removed > 0 ? 'Removed the second factors of' : 'No second factor to remove for'} ${user.email}; their sessions have ended. They sign in with the password and can add a factor again.`,
      };
    });
  },
};

export const userMfaCommand: Command = {
  words: ['user', 'mfa'],
  summary: "Show a user's second factors (--json: totp, passkeys, recovery_codes_left).",
  options: { email: EMAIL },
  async run(values, settings) {
    return withUserByEmail(values, settings, async (user, gatehouse) => {
      const summary = await factorSummary(user.zuid, gatehouse);
      return { json: factorStatus(summary), text: describe(user.email, summary) };
    });
  },
};
