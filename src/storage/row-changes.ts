/** Reads, plain inserts (no upsert) and transaction control: statements that cannot make a row already read stale. */
const LEAVES_ROWS_ALONE = /^\s*(?:(?:select|begin|commit|end|rollback|savepoint|release)\b|insert\s+into\b(?![\s\S]*\bon\s+conflict\b))/i;

/**
 * Whether a statement can make a row the read cache holds stale: an UPDATE, DELETE (and its cascades), upsert, DDL or
 * anything unrecognised. A plain INSERT only adds rows, and the cache holds only rows that exist, so the token
 * endpoint's inserts leave it warm.
 */
export function mayChangeRows(sql: string): boolean {
  return !LEAVES_ROWS_ALONE.test(sql);
}
