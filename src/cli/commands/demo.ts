import { loadSampleRecords } from '../../resources/sample-records.js';
import type { Command } from '../command.js';
import { EMAIL, withUserByEmail } from './user-admin.js';

export const demoCommand: Command = {
  words: ['demo'],
  summary: 'Give a user three sample records in each CRM and FSM module (none where the user has records already).',
  options: { email: EMAIL },
  async run(values, settings) {
    return withUserByEmail(values, settings, async (user, gatehouse, records) => {
      const created = await loadSampleRecords({ records, now: gatehouse.now }, user.zuid);
      const lines = Object.entries(created).map(
        ([module, count]) => `  ${module.padEnd(16)} ${count > 0 ? `${count} added` : 'has records already, left as is'}`,
      );
      return { json: { email: user.email, created }, text: `Sample records for ${user.email}:\n${lines.join('\n')}` };
    });
  },
};
