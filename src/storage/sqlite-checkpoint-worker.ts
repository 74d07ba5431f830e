import BetterSqlite3 from 'better-sqlite3';
import { workerData } from 'node:worker_threads';

/**
 * The checkpointer's thread (see `sqlite-checkpointer.ts`). PASSIVE copies what it can without waiting for the
 * writer. Under sustained writes a passive checkpoint never catches the writer up, and SQLite starts the WAL over only
 * when it has; so past `TRUNCATE_AT_PAGES` (about 40 MB) it asks for TRUNCATE, which waits briefly for the writer,
 * finishes the copy and empties the WAL file.
 */
const { path, intervalMs } = workerData as { path: string; intervalMs: number };
const TRUNCATE_AT_PAGES = 10_000;

const database = new BetterSqlite3(path);
database.pragma('busy_timeout = 2000');

setInterval(() => {
  const [result] = database.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number; checkpointed: number }>;
  if (result && result.log > TRUNCATE_AT_PAGES) database.pragma('wal_checkpoint(TRUNCATE)');
}, intervalMs);
