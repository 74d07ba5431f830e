import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import {
  createInitialAccessToken,
  listInitialAccessTokens,
  revokeInitialAccessToken,
  type InitialAccessTokenDeps,
} from '../../core/registration/initial-access-tokens.js';
import type { Gatehouse } from '../../gatehouse.js';
import { requireOption, stringOption, UsageError, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

const deps = (gatehouse: Gatehouse): InitialAccessTokenDeps => ({
  users: gatehouse.storage.users,
  initialAccessTokens: gatehouse.storage.initialAccessTokens,
  hasher: gatehouse.hasher,
  now: gatehouse.now,
});
const LABEL = { type: 'string', description: 'The token\'s label, as "registration token list" shows it', required: true } as const;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `3600`, `90s`, `30m`, `12h` or `7d`, in seconds. */
function parseExpiresIn(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^([1-9][0-9]{0,8})([smhd]?)$/.exec(value.trim());
  if (!match) throw new UsageError('--expires-in takes a lifetime such as 3600, 30m, 12h or 7d');
  return Number(match[1]) * UNIT_SECONDS[match[2] || 's']!;
}

export const registrationTokenCreateCommand: Command = {
  words: ['registration', 'token', 'create'],
  summary:
    'Issue an initial access token for dynamic client registration (GATEHOUSE_REGISTRATION=token): it registers one client; shown once.',
  options: {
    'expires-in': { type: 'string', description: 'Lifetime: seconds, or 30m, 12h, 7d (default: no expiry)' },
    owner: { type: 'string', description: 'Email of the user whose console the registered client appears in (default: unowned)' },
  },
  async run(values, settings) {
    const expiresInSeconds = parseExpiresIn(stringOption(values, 'expires-in'));
    return withGatehouse(settings, async (gatehouse) => {
      const { token, record, ownerEmail } = await createInitialAccessToken(
        { expiresInSeconds, ownerEmail: stringOption(values, 'owner') },
        deps(gatehouse),
      );
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'registration.token.created', userZuid: record.ownerZuid, subject: record.label });
      const expiresAt = record.expiresAt === null ? null : new Date(record.expiresAt).toISOString();
      return {
        json: { token, label: record.label, owner: ownerEmail, expires_at: expiresAt },
        text: `${token}\n(shown once; label ${record.label}; send it as "Authorization: Bearer <token>" to /oauth/v2/register; it registers one client)`,
      };
    });
  },
};

export const registrationTokenListCommand: Command = {
  words: ['registration', 'token', 'list'],
  summary: 'List initial access tokens by label, with owner, expiry and use (the tokens themselves are never shown again).',
  options: {},
  async run(_values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const tokens = await listInitialAccessTokens(deps(gatehouse));
      const emails = new Map((await gatehouse.storage.users.list()).map((u) => [u.zuid, u.email]));
      const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
      const rows = tokens.map((t) => ({
        label: t.label,
        owner: t.ownerZuid === null ? null : (emails.get(t.ownerZuid) ?? t.ownerZuid),
        created_at: iso(t.createdAt),
        expires_at: iso(t.expiresAt),
        used_at: iso(t.usedAt),
      }));
      const line = (r: (typeof rows)[number]) =>
        `${r.label}  owner ${r.owner ?? '(none)'}  created ${r.created_at}  expires ${r.expires_at ?? 'never'}  ${r.used_at ? `used ${r.used_at}` : 'unused'}`;
      return { json: { tokens: rows }, text: rows.map(line).join('\n') || 'No initial access tokens.' };
    });
  },
};

export const registrationTokenRevokeCommand: Command = {
  words: ['registration', 'token', 'revoke'],
  summary: 'Revoke an initial access token by label; it stops working at once (clients it registered stay).',
  options: { label: LABEL },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const label = requireOption(values, 'label');
      await revokeInitialAccessToken(label, deps(gatehouse));
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'registration.token.revoked', subject: label.trim() });
      return { json: { revoked: true, label }, text: `Revoked the initial access token ${label}.` };
    });
  },
};
