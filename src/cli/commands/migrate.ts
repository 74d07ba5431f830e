import { redactUrl } from '../../storage/open-storage.js';
import type { Command } from '../command.js';
import { openGatehouse } from '../context.js';

export const migrateCommand: Command = {
  words: ['migrate'],
  summary: 'Bring the database schema up to date (serve does this too).',
  options: {},
  database: 'creates',
  async run(_values, settings) {
    const opened = await openGatehouse(settings, 'creates');
    await opened.close();
    const database = redactUrl(settings.databaseUrl);
    return { json: { migrated: true, database }, text: `Database ${database} is up to date.` };
  },
};
