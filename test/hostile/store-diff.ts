import type { StoreSnapshot } from '../support/stores.js';

/** What changed in each table between two snapshots: rows only before (removed) and rows only after (added). */
export type StoreDiff = Record<string, { removed: string[]; added: string[] }>;

export function diffSnapshots(before: StoreSnapshot, after: StoreSnapshot): StoreDiff {
  const diff: StoreDiff = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? []);
    const is = new Set(after[table] ?? []);
    const removed = [...was].filter((row) => !is.has(row));
    const added = [...is].filter((row) => !was.has(row));
    if (removed.length > 0 || added.length > 0) diff[table] = { removed, added };
  }
  return diff;
}

/** A snapshot row (see stores.ts: JSON of [column, value] pairs) as an object. */
function row(text: string): Record<string, unknown> {
  return Object.fromEntries(JSON.parse(text) as Array<[string, unknown]>);
}

/**
 * Whether the diff touches only `table`, and there only changes rows in place (same key column, same count), and only
 * in `columns`.
 */
export function onlyColumnsChanged(diff: StoreDiff, table: string, key: string, columns: readonly string[]): boolean {
  const tables = Object.keys(diff);
  if (tables.length !== 1 || tables[0] !== table) return false;
  const { removed, added } = diff[table]!;
  if (removed.length !== added.length) return false;
  const before = new Map(removed.map((r) => [row(r)[key], row(r)]));
  return added.every((text) => {
    const now = row(text);
    const was = before.get(now[key]);
    if (!was) return false;
    return Object.keys(now).every((column) => columns.includes(column) || JSON.stringify(now[column]) === JSON.stringify(was[column]));
  });
}

/** Whether the diff only removes rows, and only from `tables`. */
export function onlyRowsRemoved(diff: StoreDiff, tables: readonly string[]): boolean {
  return Object.entries(diff).every(([table, { added }]) => tables.includes(table) && added.length === 0);
}

/** Whether the diff only adds audit events of these types (and SQLite's counter of their sequence). */
export function onlyAuditEventsAdded(diff: StoreDiff, types: readonly string[]): boolean {
  return Object.entries(diff).every(([table, { removed, added }]) => {
    if (table === 'sqlite_sequence') return true;
    return table === 'audit_events' && removed.length === 0 && added.every((text) => types.includes(String(row(text).type)));
  });
}

export function describeDiff(diff: StoreDiff): string {
  return Object.entries(diff)
    .map(
      ([table, { removed, added }]) =>
        `  ${table}:\n${removed.map((r) => `    - ${r.slice(0, 400)}`).join('\n')}${removed.length && added.length ? '\n' : ''}${added
          .map((r) => `    + ${r.slice(0, 400)}`)
          .join('\n')}`,
    )
    .join('\n');
}
