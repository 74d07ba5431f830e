import { CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { revokeToken, tokenRevokedEvent } from '../../core/tokens/revocation.js';
import { requireOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const tokenRevokeCommand: Command = {
  words: ['token', 'revoke'],
  summary: 'Revoke an access or refresh token (a refresh token takes its access tokens along).',
  options: { token: { type: 'string', description: 'The token value', required: true } },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const revoked = await revokeToken(requireOption(values, 'token'), gatehouse.lookup);
      if (!revoked) throw new ManagementError('token.not_found', 'No live token has this value.', 404, 'token');
      await gatehouse.audit.record(CLI_CONTEXT, tokenRevokedEvent(revoked));
      return { json: { revoked: true }, text: 'Token revoked.' };
    });
  },
};
