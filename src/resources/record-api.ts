import type { FastifyRequest } from 'fastify';
import {
  accessTokenOf,
  checkToken,
  scopesCover,
  type DpopAcceptance,
  type TokenInfo,
  type TokenVerifier,
} from '@gatehouse/resource-server';
import type { UserRepository } from '../core/users/user-repository.js';
import { ApiError, invalidModule, invalidParam } from './api-error.js';
import { recordModuleKey, type ModuleDefinition } from './modules.js';
import type { PageTokens } from './page-token.js';
import type { ModuleRecord, RecordRepository } from './record-repository.js';
import { RecordIdSequence } from './record-ids.js';
import type { Actor } from './record-shapes.js';
import type { MemoryTokenCheck } from './storage-verifier.js';

export interface ProductApi {
  product: 'crm' | 'fsm';
  /** `ZohoCRM` or `ZohoFSM`. */
  service: string;
  modules: readonly ModuleDefinition[];
  /** CRM requires `fields` on list calls (spec §14.1); FSM does not. */
  listNeedsFields: boolean;
}

export interface RecordRouteDeps {
  records: RecordRepository;
  users: UserRepository;
  verify: TokenVerifier;
  /** `verify` from memory alone, for the reads answered without a promise (`readFromMemory`). */
  verifyFromMemory: MemoryTokenCheck;
  /** How DPoP-bound tokens are accepted (RFC 9449 §7). */
  dpop: DpopAcceptance;
  /** Issues and opens the `page_token`s of deep lists. */
  pageTokens: PageTokens;
  now: () => number;
}

export const OPERATIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** The record endpoints' query string: every parameter single-valued (the API group refuses repeats). */
export type RecordRequest = FastifyRequest<{ Querystring: Record<string, string | undefined> }>;

/**
 * What every record operation of one product shares: its modules by name, where their records are kept, and the one
 * access check (the token, its scope for the module and operation). An operation handler gets this and nothing else,
 * so how a token is accepted (its scope, its data centre) is decided here only.
 */
export class RecordApi {
  private readonly recordIds = new RecordIdSequence();
  private readonly byName: Map<string, ModuleDefinition>;
  private readonly storageKeys: Map<ModuleDefinition, string>;
  private readonly requiredScopes: Map<ModuleDefinition, Map<Operation, string[]>>;

  constructor(
    readonly api: ProductApi,
    readonly deps: RecordRouteDeps,
  ) {
    // Module names match in any case; the exact spelling is found without lower-casing the path first.
    this.byName = new Map(api.modules.flatMap((m) => [[m.apiName, m] as const, [m.apiName.toLowerCase(), m] as const]));
    // What every call of a module needs, spelled once rather than per request.
    this.storageKeys = new Map(api.modules.map((m) => [m, recordModuleKey(m)]));
    this.requiredScopes = new Map(
      api.modules.map((m) => [m, new Map(OPERATIONS.map((op) => [op, [`${api.service}.modules.${m.scopeName}.${op}`]]))]),
    );
  }

  findModule(name: string): ModuleDefinition | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  moduleOf(name: string): ModuleDefinition {
    const module = this.findModule(name);
    if (!module) throw invalidModule(name);
    return module;
  }

  /** Where the module's records are kept (`crm.Leads`). */
  key(module: ModuleDefinition): string {
    return this.storageKeys.get(module)!;
  }

  private scopesFor(module: ModuleDefinition, operation: Operation): string[] {
    return this.requiredScopes.get(module)!.get(operation)!;
  }

  /** The token, checked for the module and operation; a promise only when the store must be asked. */
  authorize(request: FastifyRequest, module: ModuleDefinition, operation: Operation): TokenInfo | Promise<TokenInfo> {
    return checkToken(request, { verify: this.deps.verify, scopes: this.scopesFor(module, operation), dpop: this.deps.dpop });
  }

  /** A new record of the module, made now with a fresh ID. */
  newRecord(module: ModuleDefinition, ownerZuid: string, data: Record<string, unknown>): ModuleRecord {
    const now = this.deps.now();
    return { id: this.recordIds.next(now), module: this.key(module), ownerZuid, data, createdAt: now, modifiedAt: now };
  }

  /**
   * `authorize` from memory alone, for the reads answered without a promise: the token when memory holds it live and
   * its scope covers the operation, else undefined (then `authorize` decides, and says what is wrong).
   */
  authorizeFromMemory(authorization: string | string[] | undefined, module: ModuleDefinition, operation: Operation): TokenInfo | undefined {
    const presented = accessTokenOf(authorization);
    const token = presented === undefined ? undefined : this.deps.verifyFromMemory(presented);
    return token !== undefined && scopesCover(token.scopes, this.scopesFor(module, operation)) ? token : undefined;
  }

  async actorOf(token: TokenInfo): Promise<Actor> {
    const user = await this.deps.users.findByZuid(token.subject);
    return { id: token.subject, name: user?.displayName ?? '' };
  }
}

export const MAX_PER_WRITE = 100;

/** The `data` array of a write: 1 to 100 records (spec §14.1). */
export function writeItems(body: unknown): unknown[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (data === undefined)
    throw new ApiError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' });
  if (!Array.isArray(data) || data.length === 0)
    throw new ApiError(400, 'INVALID_DATA', 'data must be a non-empty array of records', { api_name: 'data' });
  if (data.length > MAX_PER_WRITE)
    throw new ApiError(400, 'INVALID_DATA', `at most ${MAX_PER_WRITE} records at once`, { api_name: 'data' });
  return data;
}

export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9][0-9]{0,6}$/.test(value)) throw invalidParam(name, `${name} must be a positive whole number`);
  return Number(value);
}
