/**
 * Recognises a unique-constraint violation from either driver and says which constraint it was, so repositories can
 * turn it into a domain `DuplicateError` without leaking driver details upward.
 */
export function uniqueViolation(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  // PostgreSQL: SQLSTATE 23505 with the constraint's name.
  if (e.code === '23505') return String(e.constraint ?? '');
  // better-sqlite3: "UNIQUE constraint failed: clients.owner_zuid".
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return String(e.message ?? '');
  return undefined;
}

/**
 * Recognises a foreign-key violation from either driver and says which constraint it was: PostgreSQL names it
 * (SQLSTATE 23503 with the constraint); better-sqlite3 does not, so its violation gives `''`.
 */
export function foreignKeyViolation(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; constraint?: unknown };
  if (e.code === '23503') return String(e.constraint ?? '');
  if (e.code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return '';
  return undefined;
}
