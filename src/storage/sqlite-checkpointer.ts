import { Worker } from 'node:worker_threads';

/**
 * WAL checkpoints copy committed pages back into the database file and fsync it: tens of milliseconds that, run on
 * the request thread, stall every request behind them (SQLite's default runs one inside the commit that crosses 1000
 * WAL pages). Here a worker thread with its own connection checkpoints once a second, PASSIVE so it never blocks the
 * writer, and the request thread only ever appends to the WAL. See `sqlite-checkpoint-worker.ts`.
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;

  /** `restartAtPages`: the WAL length (4 KiB pages; 10,000 is about 40 MB) past which the WAL is started over. */
  constructor(path: string, intervalMs = 1000, restartAtPages = 10_000) {
    this.worker = new Worker(new URL('./sqlite-checkpoint-worker.js', import.meta.url), {
      workerData: { path, intervalMs, restartAtPages },
    });
    // A failed checkpoint only delays the next; the WAL stays correct. Nothing to report to a request.
    this.worker.on('error', () => {});
    this.worker.unref();
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
