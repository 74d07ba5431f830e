import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { DuplicateCheck, ModuleRecord, RecordQuery, RecordRepository, UpsertOutcome } from '../../resources/record-repository.js';
import type { HotQueries } from './hot-queries.js';
import type { Dialect } from './migrations.js';
import { recordFilterSql } from './record-filter-sql.js';
import type { Database, RecordsTable } from './schema.js';

const SORT_COLUMNS = { id: 'id', Created_Time: 'created_at', Modified_Time: 'modified_at' } as const;

export class SqlRecordRepository implements RecordRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hot: HotQueries,
    private readonly dialect: Dialect,
  ) {}

  async create(r: ModuleRecord): Promise<void> {
    await insertRecord(this.db, r);
  }

  async get(ownerZuid: string, module: string, id: string): Promise<ModuleRecord | undefined> {
    const record = await this.hot.cached.records.read(id, async () => {
      const [row] = (await this.hot.findRecord.execute(this.db, id, ownerZuid, module)).rows;
      return row && toRecord(row);
    });
    return record && isOf(record, ownerZuid, module) ? record : undefined;
  }

  peek(ownerZuid: string, module: string, id: string): ModuleRecord | undefined {
    const record = this.hot.cached.records.peek(id);
    return record && isOf(record, ownerZuid, module) ? record : undefined;
  }

  async list(ownerZuid: string, module: string, query: RecordQuery): Promise<{ records: ModuleRecord[]; more: boolean }> {
    const column = SORT_COLUMNS[query.sortBy];
    let select = this.db.selectFrom('records').selectAll().where('owner_zuid', '=', ownerZuid).where('module', '=', module);
    if (query.ids) select = select.where('id', 'in', query.ids.length > 0 ? [...query.ids] : ['']);
    if (query.filter) select = select.where(recordFilterSql(this.dialect, query.filter));
    if (query.modifiedSince !== undefined) select = select.where('modified_at', '>', query.modifiedSince);
    const after = query.after;
    if (after) {
      // Keyset paging: the rows after the last one served, in (sort column, id) order, without counting past them.
      // A row-value comparison, which both dialects read as a range of the (owner, module, column[, id]) index.
      const beyond = query.sortOrder === 'desc' ? '<' : '>';
      select =
        column === 'id'
          ? select.where('id', beyond, after.id)
          : select.where(sql<SqlBool>`(${sql.ref(column)}, id) ${sql.raw(beyond)} (${after.sortValue}, ${after.id})`);
    }
    // IDs are fixed-width numeric strings, so their text order is their numeric order; `id` breaks time ties.
    const ordered = select.orderBy(column, query.sortOrder);
    const rows = await (column === 'id' ? ordered : ordered.orderBy('id', query.sortOrder))
      .limit(query.limit + 1)
      .offset(query.offset)
      .execute();
    return { records: rows.slice(0, query.limit).map(toRecord), more: rows.length > query.limit };
  }

  async update(
    ownerZuid: string,
    module: string,
    id: string,
    data: Record<string, unknown>,
    now: number,
  ): Promise<ModuleRecord | undefined> {
    const row = await this.db
      .updateTable('records')
      .set({ data: JSON.stringify(data), modified_at: now })
      .where('id', '=', id)
      .where('owner_zuid', '=', ownerZuid)
      .where('module', '=', module)
      .returningAll()
      .executeTakeFirst();
    return row && toRecord(row);
  }

  async upsert(
    ownerZuid: string,
    module: string,
    checks: readonly DuplicateCheck[],
    decide: (existing: ModuleRecord | undefined) => ModuleRecord | undefined,
  ): Promise<UpsertOutcome | undefined> {
    return this.exclusively(`records:${ownerZuid}:${module}`, async (db) => {
      let found: { row: Selectable<RecordsTable>; field: string } | undefined;
      for (const check of checks) {
        const filter = { kind: 'equals', field: check.field, as: check.as, values: [check.value] } as const;
        const row = await db
          .selectFrom('records')
          .selectAll()
          .where('owner_zuid', '=', ownerZuid)
          .where('module', '=', module)
          .where(recordFilterSql(this.dialect, filter))
          .orderBy('id')
          .limit(1)
          .executeTakeFirst();
        if (row) {
          found = { row, field: check.field };
          break;
        }
      }
      const record = decide(found && toRecord(found.row));
      if (!record) return undefined;
      if (!found) {
        await insertRecord(db, record);
        return { action: 'insert', record, duplicateField: null };
      }
      await db
        .updateTable('records')
        .set({ data: JSON.stringify(record.data), modified_at: record.modifiedAt })
        .where('id', '=', found.row.id)
        .execute();
      return { action: 'update', record, duplicateField: found.field };
    });
  }

  /**
   * Runs `work` so that no other `exclusively` of the same key runs meanwhile, whichever node it is on. SQLite: on the
   * one connection, which Kysely's driver hands to one user at a time, so nothing else runs between its statements.
   * PostgreSQL: in a transaction holding an advisory lock on the key until it commits.
   */
  private exclusively<T>(key: string, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.dialect === 'sqlite') return this.db.connection().execute(work);
    return this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
      return work(trx);
    });
  }

  async delete(ownerZuid: string, module: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .deleteFrom('records')
      .where('id', 'in', [...ids])
      .where('owner_zuid', '=', ownerZuid)
      .where('module', '=', module)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }
}

async function insertRecord(db: Kysely<Database>, r: ModuleRecord): Promise<void> {
  await db
    .insertInto('records')
    .values({
      id: r.id,
      module: r.module,
      owner_zuid: r.ownerZuid,
      data: JSON.stringify(r.data),
      created_at: r.createdAt,
      modified_at: r.modifiedAt,
    })
    .execute();
}

function toRecord(row: Selectable<RecordsTable>): ModuleRecord {
  return {
    id: row.id,
    module: row.module,
    ownerZuid: row.owner_zuid,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: Number(row.created_at),
    modifiedAt: Number(row.modified_at),
  };
}

/** The record cache is keyed by ID alone: a record found there is another owner's, or another module's, for nobody. */
function isOf(record: ModuleRecord, ownerZuid: string, module: string): boolean {
  return record.ownerZuid === ownerZuid && record.module === module;
}
