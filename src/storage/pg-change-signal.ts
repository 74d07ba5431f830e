import { Socket } from 'node:net';
import pg from 'pg';
import type { CacheInvalidation } from '../core/store.js';
import type { ChangeSignal } from './sql/read-cache.js';

/**
 * The channel the `0009_change_notify` triggers notify: one per schema, so deployments (and test schemas) sharing a
 * database do not wake each other. PostgreSQL caps channel names at 63 bytes; two schemas sharing a long prefix would
 * share a channel, which costs only extra invalidations.
 */
export const CHANGE_CHANNEL_SQL = `left('gatehouse_changes:' || current_schema(), 63)`;

/** Reconnect backoff of the listener: from the first to the last, doubling. */
const RETRY_MS = { first: 50, last: 2_000 };

/**
 * How often the listener proves its connection alive, and how long the proof may take. A connection that died silently
 * (a network partition, no reset) would otherwise pass no notification and raise no error: the cache would be
 * trusted while blind. So a silent outage is noticed within about HEARTBEAT.everyMs + HEARTBEAT.timeoutMs.
 */
const HEARTBEAT = { everyMs: 1_000, timeoutMs: 1_000 };

/**
 * Tells the read cache of a PostgreSQL store when the data may have changed, on any node: the `0009_change_notify`
 * triggers `pg_notify` the schema's channel after every UPDATE, DELETE or TRUNCATE of a cached table (delivered when
 * the writing transaction commits), and a dedicated connection of this node, outside the pool, LISTENs to it; every
 * notification moves the generation. This node's own writes move it at once (`noteChange`, from the change-tracking
 * driver), before their caller is answered, without waiting for their own notification.
 *
 * Fails closed: while the listener is not connected (not yet, error, end, `pg_terminate_backend`, a missed heartbeat)
 * `current()` is undefined, so nothing is served from the cache and every read goes to the database. It reconnects
 * with backoff, and moves the generation once listening again, since it may have missed notifications meanwhile.
 */
export class PgChangeSignal implements ChangeSignal, CacheInvalidation {
  private generation = 0;
  private listening = false;
  private received = 0;
  private client: pg.Client | undefined;
  private retryMs = RETRY_MS.first;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  /** The state last told to the watchers, so each outage is told once. */
  private told: boolean | undefined;
  private readonly watchers: Array<(connected: boolean) => void> = [];

  constructor(private readonly config: pg.ClientConfig) {
    void this.connect();
  }

  current(): number | undefined {
    return this.listening ? this.generation : undefined;
  }

  /** A row-changing statement of this node ran (or its transaction ended): forget what was read before. */
  noteChange(): void {
    this.generation++;
  }

  get connected(): boolean {
    return this.listening;
  }

  get notifications(): number {
    return this.received;
  }

  watch(listener: (connected: boolean) => void): void {
    this.watchers.push(listener);
    // An outage that began before anyone watched is still told.
    if (this.told === false) listener(false);
  }

  private async connect(): Promise<void> {
    // An unreferenced socket: the listener must never keep the process alive (a `serve` that fails to start must exit).
    const client = new pg.Client({ ...this.config, query_timeout: HEARTBEAT.timeoutMs, stream: () => new Socket().unref() });
    this.client = client;
    client.on('notification', () => {
      this.generation++;
      this.received++;
    });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      const { rows } = await client.query<{ channel: string }>(`select ${CHANGE_CHANNEL_SQL} as channel`);
      await client.query(`listen ${client.escapeIdentifier(rows[0]!.channel)}`);
    } catch {
      this.lost(client);
      return;
    }
    if (this.client !== client) return;
    // Notifications committed while no one listened were missed: whatever was cached before may be stale.
    this.generation++;
    this.listening = true;
    this.retryMs = RETRY_MS.first;
    this.heartbeat = setInterval(() => void client.query('select 1').catch(() => this.lost(client)), HEARTBEAT.everyMs);
    this.heartbeat.unref();
    this.tell(true);
  }

  /** Tells the watchers of an outage, and of the recovery after one; the first connection at start is no news. */
  private tell(connected: boolean): void {
    const before = this.told;
    this.told = connected;
    if (before === connected || (before === undefined && connected)) return;
    for (const watcher of this.watchers) watcher(connected);
  }

  /** The listener `client` failed or ended: stop trusting the cache, and try again later unless closing. */
  private lost(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.heartbeat);
    client.end().catch(() => {});
    this.listening = false;
    this.generation++;
    if (this.closed) return;
    this.tell(false);
    this.retry = setTimeout(() => void this.connect(), this.retryMs);
    this.retry.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MS.last);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    // Not awaited: the socket is unreferenced, so in a process with nothing else left to do (a CLI command closing its
    // store) the wait would be the last thing pending, and Node would exit mid-await with code 13.
    void client?.end().catch(() => {});
  }
}
