import type { Kysely, Selectable } from 'kysely';
import type { ModuleRecord, RecordQuery, RecordRepository } from '../../resources/record-repository.js';
import type { HotQueries } from './hot-queries.js';
import type { Database, RecordsTable } from './schema.js';

const SORT_COLUMNS = { id: 'id', Created_Time: 'created_at', Modified_Time: 'modified_at' } as const;

export class SqlRecordRepository implements RecordRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hot: HotQueries,
  ) {}

  async create(r: ModuleRecord): Promise<void> {
    await this.db
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
    let select = this.db.selectFrom('records').selectAll().where('owner_zuid', '=', ownerZuid).where('module', '=', module);
    if (query.ids) select = select.where('id', 'in', query.ids.length > 0 ? [...query.ids] : ['']);
    // IDs are fixed-width numeric strings, so their text order is their numeric order; `id` breaks time ties.
    const rows = await select
      .orderBy(SORT_COLUMNS[query.sortBy], query.sortOrder)
      .orderBy('id', query.sortOrder)
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
