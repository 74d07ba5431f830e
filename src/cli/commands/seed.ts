import { requireOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';
import { applySeedFile, describeSeedResult } from '../seeding.js';

export const seedCommand: Command = {
  words: ['seed'],
  summary: 'Create or update users, clients, grants, consents and records from a seed file, idempotently.',
  options: {
    file: { type: 'string', description: 'The seed file (JSON; see schemas/gatehouse.seed.schema.json)', required: true },
  },
  // A development database may start from its seed file, as it may from its first user.
  database: 'creates',
  async run(values, settings) {
    const file = requireOption(values, 'file');
    return withGatehouse(
      settings,
      async (gatehouse, records) => {
        const result = await applySeedFile(file, gatehouse, records);
        return { json: { file, ...result }, text: describeSeedResult(result) };
      },
      'creates',
    );
  },
};
