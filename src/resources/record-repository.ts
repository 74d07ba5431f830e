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

export interface RecordQuery {
  sortBy: 'id' | 'Created_Time' | 'Modified_Time';
  sortOrder: 'asc' | 'desc';
  offset: number;
  /** At most this many; the repository reads one more to tell whether more exist. */
  limit: number;
  /** Only these IDs, when given. */
  ids?: readonly string[];
}

/** Every call is scoped to one owner: a user never reads or changes another's records. */
export interface RecordRepository {
  create(record: ModuleRecord): Promise<void>;
  get(ownerZuid: string, module: string, id: string): Promise<ModuleRecord | undefined>;
  /** `get` from memory only, without a promise; undefined means "ask `get`" (see `TokenRepository.peekAccessToken`). */
  peek(ownerZuid: string, module: string, id: string): ModuleRecord | undefined;
  list(ownerZuid: string, module: string, query: RecordQuery): Promise<{ records: ModuleRecord[]; more: boolean }>;
  /** Replaces the record's data; undefined when the owner has no such record. */
  update(ownerZuid: string, module: string, id: string, data: Record<string, unknown>, now: number): Promise<ModuleRecord | undefined>;
  /** Deletes those of `ids` the owner has; returns the IDs deleted. */
  delete(ownerZuid: string, module: string, ids: readonly string[]): Promise<string[]>;
}
