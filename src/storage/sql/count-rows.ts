import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** How many rows a table holds (the console's live counts). */
export async function countRows(db: Kysely<Database>, table: 'users' | 'clients' | 'consents'): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
