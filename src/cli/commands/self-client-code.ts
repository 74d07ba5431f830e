import { aboutSelfClientCode, CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { findClient } from '../../core/clients/register-client.js';
import { generateSelfClientCode } from '../../core/self-client/generate-code.js';
import { requireOption, stringOption, UsageError, type Command } from '../command.js';
import { withGatehouse } from '../context.js';

export const selfClientCodeCommand: Command = {
  words: ['self-client', 'code'],
  summary: "Generate a Self Client grant code for the client's owner.",
  options: {
    'client-id': { type: 'string', description: 'The Self Client ID', required: true },
    scope: { type: 'string', description: 'Scopes, comma separated', required: true },
    duration: { type: 'string', description: 'Minutes the code stays valid: 3 to 10 (default 3)' },
    description: { type: 'string', description: 'What the code is for' },
  },
  async run(values, settings) {
    const duration = stringOption(values, 'duration');
    if (duration !== undefined && !/^[0-9]+$/.test(duration)) throw new UsageError('--duration takes whole minutes, 3 to 10');
    const description = stringOption(values, 'description');
    return withGatehouse(settings, async (gatehouse) => {
      const client = await findClient(requireOption(values, 'client-id'), gatehouse.storage.clients);
      const code = await generateSelfClientCode(
        client,
        {
          scope: requireOption(values, 'scope'),
          ...(duration !== undefined ? { durationMinutes: Number(duration) } : {}),
          ...(description !== undefined ? { description } : {}),
        },
        { ...gatehouse, codes: gatehouse.storage.codes },
      );
      await gatehouse.audit.record(CLI_CONTEXT, aboutSelfClientCode(client, code.scope));
      return {
        json: { ...code },
        text: `code:       ${code.code}\nexpires in: ${code.expires_in} s\nscope:      ${code.scope}`,
      };
    });
  },
};
