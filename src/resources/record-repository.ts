/** A record of a sample API module (CRM Leads, FSM Requests …), owned by one user. */
export interface ModuleRecord {
  /** Numeric string, as Zoho's SDKs expect (they parse IDs with BigInt). */
  id: string;
  /** e.g. `crm.Leads`, `fsm.Work_Orders`. */
  module: string;
  ownerZuid: string;
  /** Field values by API name. */
  data: Record<string, unknown>;
  createdAt: number;
  modifiedAt: number;
}

/**
 * A condition on records' field values, evaluated by the store. `as` says how a value compares: `text` as a string,
 * `number` as a JSON number (a value of another type never matches). Field names are API names the caller has already
 * checked against the module; values are always passed to the store as parameters.
 */
export type RecordFilter =
  | { kind: 'and' | 'or'; filters: readonly RecordFilter[] }
  | { kind: 'equals' | 'in'; field: string; as: 'text' | 'number'; values: readonly (string | number)[] }
  | { kind: 'between'; field: string; as: 'text' | 'number'; from: string | number; to: string | number }
  | { kind: 'starts_with' | 'contains'; field: string; value: string };

/** Where a page read through a page token resumes: after the record with this sort value and ID. */
export interface RecordPosition {
  /** The sort column's value: the ID itself, or an epoch-millisecond time. */
  sortValue: string | number;
  id: string;
}

export interface RecordQuery {
  sortBy: 'id' | 'Created_Time' | 'Modified_Time';
  sortOrder: 'asc' | 'desc';
  offset: number;
  /** At most this many; the repository reads one more to tell whether more exist. */
  limit: number;
  /** Only these IDs, when given. */
  ids?: readonly string[];
  /** Only records matching this, when given. */
  filter?: RecordFilter;
  /** Only records modified after this epoch-millisecond time, when given. */
  modifiedSince?: number;
  /** Only records after this one in the sort order (keyset paging; `offset` is then 0). */
  after?: RecordPosition;
}

/** One field an upsert looks for a duplicate by, and the value the incoming record has for it. */
export interface DuplicateCheck {
  field: string;
  as: 'text' | 'number';
  value: string | number;
}

/** What an upsert did: inserted a record, or updated the one found through `duplicateField`. */
export type UpsertOutcome =
  { action: 'insert'; record: ModuleRecord; duplicateField: null } | { action: 'update'; record: ModuleRecord; duplicateField: string };

/** Every call is scoped to one owner: a user never reads or changes another's records. */
export interface RecordRepository {
  create(record: ModuleRecord): Promise<void>;
  get(ownerZuid: string, module: string, id: string): Promise<ModuleRecord | undefined>;
  /** `get` from memory only, without a promise; undefined means "ask `get`" (see `TokenRepository.peekAccessToken`). */
  peek(ownerZuid: string, module: string, id: string): ModuleRecord | undefined;
  list(ownerZuid: string, module: string, query: RecordQuery): Promise<{ records: ModuleRecord[]; more: boolean }>;
  /** Replaces the record's data; undefined when the owner has no such record. */
  update(ownerZuid: string, module: string, id: string, data: Record<string, unknown>, now: number): Promise<ModuleRecord | undefined>;
  /**
   * Inserts or updates one record atomically: finds the owner's first record (by `checks`, in order) whose field
   * equals the incoming value, then writes what `decide` returns for it (the updated record, or a new one when none
   * was found). Two upserts of the same key never both insert. `decide` returns undefined to write nothing.
   */
  upsert(
    ownerZuid: string,
    module: string,
    checks: readonly DuplicateCheck[],
    decide: (existing: ModuleRecord | undefined) => ModuleRecord | undefined,
  ): Promise<UpsertOutcome | undefined>;
  /** Deletes those of `ids` the owner has; returns the IDs deleted. */
  delete(ownerZuid: string, module: string, ids: readonly string[]): Promise<string[]>;
}
