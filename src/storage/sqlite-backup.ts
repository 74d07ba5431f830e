import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';

/** More pages than any database holds: the whole copy is made in one step. */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies a SQLite database that a running server may be writing, with SQLite's online backup API: the copy is the
 * database as one transaction saw it. The pages are copied in one step, since a write by another connection between
 * steps restarts the backup (a busy server could starve a step-by-step one); in WAL mode that step's read blocks no
 * writer. The copy is written beside `out` and renamed over it only when complete, so `out` never holds half a copy.
 */
export async function backupSqlite(sourcePath: string, out: string): Promise<{ pages: number }> {
  const source = new BetterSqlite3(sourcePath, { readonly: true, fileMustExist: true });
  const partial = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    source.pragma('busy_timeout = 5000');
    const { totalPages } = await source.backup(partial, { progress: () => ALL_PAGES });
    renameSync(partial, out);
    return { pages: totalPages };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    source.close();
  }
}
