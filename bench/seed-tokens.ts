import type { BenchDatabase } from './databases.js';

const COLUMNS = 'id, client_id, user_zuid, scopes, refresh_token_id, origin_code_id, created_at, expires_at';

/**
 * Parameters: count, client id, user zuid, first issue time, last issue time, lifetime. Row i is issued at an even
 * step between the two times; its key leads with that time in 12 hex digits, as `CredentialHasher.storageKey` makes
 * one, followed by 44 random hex digits where a real key has its keyed hash.
 */
const SEED: Record<BenchDatabase['kind'], string> = {
  SQLite:
    `with recursive n(i) as (select 0 union all select i + 1 from n where i < ?1 - 1), ` +
    `issued(t) as (select ?4 + (i * (?5 - ?4)) / ?1 from n) ` +
    `insert into access_tokens (${COLUMNS}) ` +
    `select printf('%012x', t) || lower(hex(randomblob(22))), ?2, ?3, 'ZohoCRM.modules.ALL', null, null, t, t + ?6 from issued`,
  PostgreSQL:
    `insert into access_tokens (${COLUMNS}) ` +
    `select lpad(to_hex(t), 12, '0') || md5(random()::text) || substr(md5(random()::text), 1, 12), $2, $3, 'ZohoCRM.modules.ALL', null, null, t, t + $6 ` +
    `from (select $4::bigint + (i * ($5::bigint - $4::bigint)) / $1::bigint as t from generate_series(0, $1::int - 1) as i) as issued`,
};

/**
 * `count` real access-token rows in one statement: every column of the schema, of an existing user and client (no
 * refresh token, as client_credentials issues them), issued at even steps over `issuedBetween`, each living
 * `lifetimeMs`: what a deployment that issued them in that span holds, indexes included. Returns the milliseconds it
 * took (on PostgreSQL with the table's statistics: autovacuum would analyse a table this changed within a minute;
 * nothing analyses a SQLite database).
 */
export async function seedAccessTokens(
  database: BenchDatabase,
  owner: { userZuid: string; clientId: string },
  count: number,
  issuedBetween: readonly [number, number],
  lifetimeMs: number,
): Promise<number> {
  const started = performance.now();
  await database.run(SEED[database.kind], [count, owner.clientId, owner.userZuid, issuedBetween[0], issuedBetween[1], lifetimeMs]);
  if (database.kind === 'PostgreSQL') await database.run('analyze access_tokens', []);
  return performance.now() - started;
}
