import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { disableUser, enableUser, findUserByEmail, resetPassword } from '../../core/users/administer-users.js';
import { userView } from '../../core/users/user-view.js';
import type { User } from '../../core/users/user.js';
import type { Gatehouse } from '../../gatehouse.js';
import { requireOption, type Command, type CommandResult, type OptionValues } from '../command.js';
import { withGatehouse } from '../context.js';
import type { RecordRepository } from '../../resources/record-repository.js';
import type { Settings } from '../settings.js';

export const EMAIL = { type: 'string', description: "The user's email", required: true } as const;

/** Runs `act` on the user `--email` names, with the store open; what it returns is printed. */
export function withUserByEmail(
  values: OptionValues,
  settings: Settings,
  act: (user: User, gatehouse: Gatehouse, records: RecordRepository) => Promise<CommandResult>,
): Promise<CommandResult> {
  return withGatehouse(settings, async (gatehouse, records) =>
    act(await findUserByEmail(requireOption(values, 'email'), gatehouse.storage.users), gatehouse, records),
  );
}

export const userResetPasswordCommand: Command = {
  words: ['user', 'reset-password'],
  summary: "Give a user a one-time password (a new one is chosen at the next sign-in) and end the user's sessions.",
  options: { email: EMAIL },
  async run(values, settings) {
    return withUserByEmail(values, settings, async (user, gatehouse) => {
      const { password } = await resetPassword(user, CLI_CONTEXT, gatehouse);
      return {
        json: { email: user.email, password },
        text: `One-time password for ${user.email}: ${password}\n(shown once; the user chooses a new one at the next sign-in)`,
      };
    });
  },
};

export const userDisableCommand: Command = {
  words: ['user', 'disable'],
  summary: 'Disable a user: no sign-in, and every session, code and token of theirs stops working at once.',
  options: { email: EMAIL },
  async run(values, settings) {
    return withUserByEmail(values, settings, async (target, gatehouse) => {
      const user = await disableUser(target, CLI_CONTEXT, gatehouse);
      return { json: { email: user.email, disabled: true }, text: `Disabled ${user.email}; every session and token of theirs is revoked.` };
    });
  },
};

export const userEnableCommand: Command = {
  words: ['user', 'enable'],
  summary: 'Let a disabled user sign in again (tokens revoked by the disable stay revoked).',
  options: { email: EMAIL },
  async run(values, settings) {
    return withUserByEmail(values, settings, async (target, gatehouse) => {
      const user = await enableUser(target, CLI_CONTEXT, gatehouse);
      return { json: { email: user.email, disabled: false }, text: `Enabled ${user.email}.` };
    });
  },
};

export const userListCommand: Command = {
  words: ['user', 'list'],
  summary: 'List every user, oldest first, with role and state.',
  options: {},
  async run(_values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const users = await gatehouse.storage.users.list();
      const lines = users.map(
        (u) =>
          `${u.email}  ${u.zuid}  ${u.isAdmin ? 'admin' : 'user'}${u.disabled ? '  disabled' : ''}${u.mustChangePassword ? '  must change password' : ''}`,
      );
      return { json: { users: users.map(userView) }, text: lines.join('\n') || 'No users.' };
    });
  },
};
