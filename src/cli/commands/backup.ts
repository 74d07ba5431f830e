import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManagementError } from '../../core/errors/management-error.js';
import { redactUrl } from '../../storage/open-storage.js';
import { backupSqlite } from '../../storage/sqlite-backup.js';
import { requireOption, UsageError, type Command } from '../command.js';
import { sqliteFile } from '../database-check.js';

export const backupCommand: Command = {
  words: ['backup'],
  summary: 'Copy the SQLite database to a file, consistently, while the server runs (PostgreSQL: use pg_dump).',
  options: {
    out: { type: 'string', description: 'The file to write the copy to', required: true },
    force: { type: 'boolean', description: 'Replace the file if it exists' },
  },
  async run(values, settings) {
    const out = resolve(requireOption(values, 'out'));
    const source = sqliteFile(settings.databaseUrl);
    if (source === undefined) throw new UsageError(notSqlite(settings.databaseUrl, out));
    if (existsSync(out) && values.force !== true)
      throw new ManagementError('backup.out_exists', `${out} exists; pass --force to replace it.`, 409, 'out');
    const { pages } = await backupSqlite(source, out);
    return { json: { out, pages }, text: `Backed up ${resolve(source)} to ${out} (${pages} pages).` };
  },
};

/** PostgreSQL has its own consistent dump; an in-memory database has nothing to keep. */
function notSqlite(url: string, out: string): string {
  if (url.startsWith('sqlite:')) return 'an in-memory database (sqlite::memory:) has nothing to back up.';
  return (
    `backup copies SQLite databases; back up PostgreSQL with pg_dump, which also takes a consistent snapshot ` +
    `while the server runs: pg_dump --format=custom --file=${out} '${redactUrl(url)}'`
  );
}
