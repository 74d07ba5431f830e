import { CompiledQuery, type Kysely } from 'kysely';
import type { AccessToken } from '../../core/tokens/token-repository.js';
import type { Database } from './schema.js';

/**
 * The access tokens of one turn of the event loop in one PostgreSQL statement, so concurrent token requests share a
 * round trip and a commit. Per row, as the one-row insert (`insertAccessToken` in hot-queries.ts): stored only while
 * its user exists and is enabled, with a share lock on the user's row, so a concurrent disable waits and then revokes.
 *
 * Its commit does not wait for the WAL to reach the disk (`synchronous_commit` off for this statement's transaction
 * alone): the wait was 6 ms here, and it, not Gatehouse, bounded client_credentials to connections ÷ 6 ms. The rows are
 * committed and visible to every node before the callers are answered; a crash of the database server may lose the
 * last fraction of a second's tokens (WAL writer: at most three times wal_writer_delay), and a lost access token is
 * refused, so its holder asks for another. Losing it fails closed; SQLite's synchronous=NORMAL makes the same trade for
 * every write. Every other write (codes, refresh tokens, revocations, disables) still waits for the disk.
 */
const INSERT_MANY = CompiledQuery.raw(`insert into access_tokens
    (id, client_id, user_zuid, scopes, refresh_token_id, origin_code_id, jkt, created_at, expires_at, dc, audience, org_id)
  with unflushed_commit as materialized (select set_config('synchronous_commit', 'off', true))
  select t.id, t.client_id, u.zuid, t.scopes, t.refresh_token_id, t.origin_code_id, t.jkt, t.created_at, t.expires_at, t.dc, t.audience,
         t.org_id
    from unflushed_commit,
         unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int8[], $9::int8[], $10::text[],
                $11::text[], $12::text[])
      as t (id, client_id, user_zuid, scopes, refresh_token_id, origin_code_id, jkt, created_at, expires_at, dc, audience, org_id)
    join users u on u.zuid = t.user_zuid
   where u.disabled = 0
     for share of u
  returning id`);

interface Pending {
  token: AccessToken;
  resolve(stored: boolean): void;
  reject(err: unknown): void;
}

/**
 * Collects the access tokens stored outside a transaction during one turn of the event loop and inserts them with one
 * statement (a statement is its own transaction: all rows commit together, and each caller is answered after the
 * commit). If the statement fails (a client deleted meanwhile fails its foreign key, and with it every row), each
 * token is tried alone, so only the culprit's caller sees the error.
 */
export class AccessTokenBatch {
  private pending: Pending[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    /** The one-row insert, for the retry of a failed batch. */
    private readonly insertOne: (token: AccessToken) => Promise<boolean>,
    /** Told of each batch under way, so the store's `close` waits for it. */
    private readonly track: (work: Promise<void>) => void,
  ) {}

  add(token: AccessToken): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.pending.push({ token, resolve, reject });
      if (this.pending.length === 1) this.track(new Promise<void>((done) => setImmediate(() => void this.flush().finally(done))));
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    let stored: Set<string>;
    try {
      const { rows } = await this.db.executeQuery<{ id: string }>({ ...INSERT_MANY, parameters: columns(batch) });
      stored = new Set(rows.map((row) => row.id));
    } catch {
      await Promise.all(batch.map(({ token, resolve, reject }) => this.insertOne(token).then(resolve, reject)));
      return;
    }
    for (const { token, resolve } of batch) resolve(stored.has(token.id));
  }
}

/** The batch as INSERT_MANY's twelve column arrays. */
function columns(batch: Pending[]): unknown[][] {
  const tokens = batch.map((p) => p.token);
  return [
    tokens.map((t) => t.id),
    tokens.map((t) => t.clientId),
    tokens.map((t) => t.userZuid),
    tokens.map((t) => t.scopes),
    tokens.map((t) => t.refreshTokenId),
    tokens.map((t) => t.originCodeId),
    tokens.map((t) => t.jkt),
    tokens.map((t) => t.createdAt),
    tokens.map((t) => t.expiresAt),
    tokens.map((t) => t.dc ?? null),
    tokens.map((t) => t.audience ?? null),
    tokens.map((t) => t.orgId ?? null),
  ];
}
