import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ManagementError, type ManagementErrorBody } from '../core/errors/management-error.js';
import { redactUrl } from '../storage/open-storage.js';

/** A command that works on existing data found no database where the settings point; `database` is the redacted URL. */
export class DatabaseMissingError extends ManagementError {
  readonly database: string;

  constructor(url: string, why: string) {
    const database = redactUrl(url);
    super(
      'database.missing',
      `No database at ${database}: ${why}. Set GATEHOUSE_DATABASE_URL to the database Gatehouse uses, ` +
        'or create one with `gatehouse migrate` (or `serve`, or `user create`).',
      404,
    );
    this.database = database;
  }

  override toJSON(): ManagementErrorBody & { database: string } {
    return { ...super.toJSON(), database: this.database };
  }
}

/** The file a `sqlite:` URL names, or undefined for another kind of database (or an in-memory one). */
export function sqliteFile(url: string): string | undefined {
  if (!url.startsWith('sqlite:')) return undefined;
  const path = url.slice('sqlite:'.length);
  return path === ':memory:' ? undefined : path;
}

/**
 * Refuses before anything is opened, since opening a SQLite file creates it (and its directory). The default URL is
 * relative to the current directory, so this is what a command run from the wrong directory meets.
 */
export function requireExistingDatabase(url: string): void {
  const file = sqliteFile(url);
  if (file !== undefined && !existsSync(file)) throw new DatabaseMissingError(url, `${resolve(file)} does not exist`);
}

/** PostgreSQL creates no database on connection; its "does not exist" (3D000) is said the same way as SQLite's. */
export function asDatabaseMissing(err: unknown, url: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '3D000' ? new DatabaseMissingError(url, (err as Error).message) : err;
}

/** For usage: which database the commands would use, and for SQLite where that is from here. */
export function describeDatabase(url: string): string {
  const file = sqliteFile(url);
  if (file === undefined) return redactUrl(url);
  return `${redactUrl(url)} (${resolve(file)}${existsSync(file) ? '' : ', which does not exist yet'})`;
}
