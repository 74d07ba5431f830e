import { createApiToken, listApiTokens, revokeApiToken, type ApiTokenDeps } from '../../core/api-tokens/api-tokens.js';
import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import type { Gatehouse } from '../../gatehouse.js';
import { requireOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

const deps = (gatehouse: Gatehouse): ApiTokenDeps => ({
  users: gatehouse.storage.users,
  apiTokens: gatehouse.storage.apiTokens,
  hasher: gatehouse.hasher,
  now: gatehouse.now,
});
const EMAIL = { type: 'string', description: "The administrator's email", required: true } as const;
const NAME = { type: 'string', description: 'A name for the token, unique per administrator', required: true } as const;

export const apiTokenCreateCommand: Command = {
  words: ['api-token', 'create'],
  summary: 'Issue an API token for the management API (/api/v1), acting as an administrator; shown once.',
  options: { email: EMAIL, name: NAME },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const { token, record, user } = await createApiToken(
        { email: requireOption(values, 'email'), name: requireOption(values, 'name') },
        deps(gatehouse),
      );
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'apitoken.created', userZuid: user.zuid, subject: record.name });
      return {
        json: { token, name: record.name, email: user.email },
        text: `${token}\n(shown once; send it as "Authorization: Bearer <token>" to /api/v1)`,
      };
    });
  },
};

export const apiTokenListCommand: Command = {
  words: ['api-token', 'list'],
  summary: "List an administrator's API tokens by name (the tokens themselves are never shown again).",
  options: { email: EMAIL },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const tokens = await listApiTokens(requireOption(values, 'email'), deps(gatehouse));
      const rows = tokens.map((t) => ({ name: t.name, created_at: new Date(t.createdAt).toISOString() }));
      return { json: { tokens: rows }, text: rows.map((r) => `${r.name}  created ${r.created_at}`).join('\n') || 'No API tokens.' };
    });
  },
};

export const apiTokenRevokeCommand: Command = {
  words: ['api-token', 'revoke'],
  summary: 'Revoke an API token by name; it stops working at once.',
  options: { email: EMAIL, name: NAME },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const name = requireOption(values, 'name');
      const owner = await revokeApiToken({ email: requireOption(values, 'email'), name }, deps(gatehouse));
      await gatehouse.audit.record(CLI_CONTEXT, { type: 'apitoken.revoked', userZuid: owner.zuid, subject: name.trim() });
      return { json: { revoked: true, name }, text: `Revoked the API token "${name}".` };
    });
  },
};
