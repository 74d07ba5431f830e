import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  accessTokenOf,
  checkToken,
  scopesCover,
  type DpopAcceptance,
  type TokenInfo,
  type TokenVerifier,
} from '@gatehouse/resource-server';
import { JSON_CONTENT_TYPE } from './read-lane.js';
import type { UserRepository } from '../core/users/user-repository.js';
import type { ModuleRecord, RecordQuery, RecordRepository } from './record-repository.js';
import { ApiError, invalidModule, invalidParam, invalidRequestMethod, requiredParamMissing } from './api-error.js';
import { recordModuleKey, type ModuleDefinition } from './modules.js';
import { RecordIdSequence } from './record-ids.js';
import {
  apiRecord,
  deleted,
  singleRecordBody,
  failed,
  unknownId,
  written,
  writeStatus,
  type Actor,
  type WriteResult,
} from './record-shapes.js';
import type { MemoryTokenCheck } from './storage-verifier.js';
import { validateRecord } from './validate-record.js';

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
  now: () => number;
}

/**
 * The body of the 200 answering `GET /{module}/{id}` (path segments as sent) when memory alone can give it: the token
 * live, in memory and with the scope to read the module, the record in memory. Undefined for anything else (a miss, a
 * refusal, an unknown module), which the route then works out in full, reading the store and saying what is wrong.
 */
export type RecordMemoryReader = (moduleName: string, id: string, authorization: string | string[] | undefined) => string | undefined;

const OPERATIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE'] as const;
type Operation = (typeof OPERATIONS)[number];
const MAX_PER_WRITE = 100;
const MAX_PER_PAGE = 200;
const SYSTEM_FIELDS = ['id', 'Owner', 'Created_Time', 'Modified_Time'];

/**
 * The record endpoints of one product (spec §14): list, get, create, update (many or one), delete (many or one). Every
 * call checks the token's scope for the module and operation (`ZohoCRM.modules.leads.READ`, covered by
 * `ZohoCRM.modules.ALL` …) and touches only the token owner's records.
 */
export function recordRoutes(app: FastifyInstance, api: ProductApi, deps: RecordRouteDeps): RecordMemoryReader {
  // Module names match in any case; the exact spelling is found without lower-casing the path first.
  const byName = new Map(api.modules.flatMap((m) => [[m.apiName, m] as const, [m.apiName.toLowerCase(), m] as const]));
  const findModule = (name: string): ModuleDefinition | undefined => byName.get(name) ?? byName.get(name.toLowerCase());
  const moduleOf = (name: string): ModuleDefinition => {
    const module = findModule(name);
    if (!module) throw invalidModule(name);
    return module;
  };
  // What every call of a module needs, spelled once rather than per request.
  const storageKeys = new Map(api.modules.map((m) => [m, recordModuleKey(m)]));
  const key = (module: ModuleDefinition) => storageKeys.get(module)!;
  const requiredScopes = new Map(
    api.modules.map((m) => [m, new Map(OPERATIONS.map((op) => [op, [`${api.service}.modules.${m.scopeName}.${op}`]]))]),
  );
  const authorize = (request: FastifyRequest, module: ModuleDefinition, operation: Operation): TokenInfo | Promise<TokenInfo> =>
    checkToken(request, { verify: deps.verify, scopes: requiredScopes.get(module)!.get(operation)!, dpop: deps.dpop });
  const recordIds = new RecordIdSequence();

  app.route<{ Params: { module: string }; Querystring: Record<string, string | undefined> }>({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: '/:module',
    handler: async (request, reply) => {
      const module = moduleOf(request.params.module);
      switch (request.method) {
        case 'GET':
          return list(request, reply, module, await authorize(request, module, 'READ'));
        case 'POST':
          return create(request, reply, module, await authorize(request, module, 'CREATE'));
        case 'PUT':
          return update(request, reply, module, await authorize(request, module, 'UPDATE'), undefined);
        case 'DELETE': {
          const token = await authorize(request, module, 'DELETE');
          const ids = request.query.ids;
          if (!ids) throw requiredParamMissing('ids');
          return remove(
            reply,
            module,
            token,
            ids.split(',').filter((id) => id !== ''),
          );
        }
        default:
          throw invalidRequestMethod();
      }
    },
  });

  const readFromMemory: RecordMemoryReader = (moduleName, id, authorization) => {
    const module = findModule(moduleName);
    return module && recordFromMemory(module, id, authorization);
  };
  const recordFromMemory = (module: ModuleDefinition, id: string, authorization: string | string[] | undefined): string | undefined => {
    const presented = accessTokenOf(authorization);
    const token = presented === undefined ? undefined : deps.verifyFromMemory(presented);
    if (token === undefined || !scopesCover(token.scopes, requiredScopes.get(module)!.get('READ')!)) return undefined;
    const record = deps.records.peek(token.subject, key(module), id);
    return record && singleRecordBody(record);
  };

  // Not an async handler: a GET that memory answers is sent without a promise.
  app.route<{ Params: { module: string; id: string } }>({
    method: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'],
    url: '/:module/:id',
    handler: (request, reply) => {
      const module = moduleOf(request.params.module);
      const id = request.params.id;
      if (request.method === 'GET') {
        const body = recordFromMemory(module, id, request.headers.authorization);
        if (body !== undefined) return void reply.type(JSON_CONTENT_TYPE).send(body);
      }
      return oneRecord(request, reply, module, id);
    },
  });

  async function oneRecord(request: FastifyRequest, reply: FastifyReply, module: ModuleDefinition, id: string) {
    switch (request.method) {
      case 'GET': {
        const token = await authorize(request, module, 'READ');
        const record = await deps.records.get(token.subject, key(module), id);
        if (!record) return reply.code(204).send();
        return reply.type(JSON_CONTENT_TYPE).send(singleRecordBody(record));
      }
      case 'PUT':
        return update(request, reply, module, await authorize(request, module, 'UPDATE'), id);
      case 'DELETE':
        return remove(reply, module, await authorize(request, module, 'DELETE'), [id]);
      default:
        throw invalidRequestMethod();
    }
  }

  async function list(
    request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
    reply: FastifyReply,
    module: ModuleDefinition,
    token: TokenInfo,
  ) {
    const q = request.query;
    const fields = q.fields?.split(',').filter((f) => f !== '');
    if (api.listNeedsFields && (!fields || fields.length === 0)) throw requiredParamMissing('fields');
    if (fields) {
      if (fields.length > 50) throw invalidParam('fields', 'at most 50 fields');
      const known = new Set([...module.fields.map((f) => f.apiName), ...SYSTEM_FIELDS]);
      const unknown = fields.find((f) => !known.has(f));
      if (unknown) throw new ApiError(400, 'INVALID_DATA', `the field ${unknown} is not in ${module.plural}`, { api_name: unknown });
    }
    const page = positiveInt(q.page, 'page', 1);
    const perPage = positiveInt(q.per_page, 'per_page', MAX_PER_PAGE);
    if (perPage > MAX_PER_PAGE) throw invalidParam('per_page', `per_page is at most ${MAX_PER_PAGE}`);
    const sortBy = (q.sort_by ?? 'id') as RecordQuery['sortBy'];
    if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy))
      throw invalidParam('sort_by', 'sort_by must be id, Created_Time or Modified_Time');
    const sortOrder = (q.sort_order ?? 'desc') as RecordQuery['sortOrder'];
    if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalidParam('sort_order', 'sort_order must be asc or desc');
    const ids = q.ids?.split(',').filter((id) => id !== '');

    const { records, more } = await deps.records.list(token.subject, key(module), {
      sortBy,
      sortOrder,
      offset: (page - 1) * perPage,
      limit: perPage,
      ...(ids ? { ids } : {}),
    });
    // Zoho answers an empty list with 204 and no body (spec §14.1).
    if (records.length === 0) return reply.code(204).send();
    return {
      data: records.map((r) =>
        apiRecord(
          r,
          fields?.filter((f) => f !== 'id'),
        ),
      ),
      info: {
        per_page: perPage,
        count: records.length,
        page,
        sort_by: sortBy,
        sort_order: sortOrder,
        more_records: more,
        next_page_token: null,
        previous_page_token: null,
        page_token_expiry: null,
      },
    };
  }

  async function create(request: FastifyRequest, reply: FastifyReply, module: ModuleDefinition, token: TokenInfo) {
    const items = writeItems(request.body);
    const actor = await actorOf(token);
    const results: WriteResult[] = [];
    for (const [index, item] of items.entries()) {
      const checked = validateRecord(item, module, 'create', index);
      if (!checked.ok) {
        results.push(failed(checked.failure));
        continue;
      }
      const now = deps.now();
      const record: ModuleRecord = {
        id: recordIds.next(now),
        module: key(module),
        ownerZuid: token.subject,
        data: checked.data,
        createdAt: now,
        modifiedAt: now,
      };
      await deps.records.create(record);
      results.push(written(record, actor, 'record added'));
    }
    return reply.code(writeStatus(results, 201)).send({ data: results.map((r) => r.item) });
  }

  async function update(
    request: FastifyRequest,
    reply: FastifyReply,
    module: ModuleDefinition,
    token: TokenInfo,
    pathId: string | undefined,
  ) {
    const items = writeItems(request.body);
    if (pathId !== undefined && items.length !== 1)
      throw new ApiError(400, 'INVALID_DATA', 'send exactly one record to update a record by its id', { api_name: 'data' });
    const actor = await actorOf(token);
    const results: WriteResult[] = [];
    for (const [index, item] of items.entries()) {
      const id = pathId ?? (item as { id?: unknown }).id;
      if (typeof id !== 'string' || id === '') {
        results.push(
          failed({
            code: 'MANDATORY_NOT_FOUND',
            message: 'required field not found',
            details: { api_name: 'id', json_path: `$.data[${index}].id` },
          }),
        );
        continue;
      }
      const checked = validateRecord(item, module, 'update', index);
      if (!checked.ok) {
        results.push(failed(checked.failure));
        continue;
      }
      const existing = await deps.records.get(token.subject, key(module), id);
      const record =
        existing && (await deps.records.update(token.subject, key(module), id, { ...existing.data, ...checked.data }, deps.now()));
      results.push(record ? written(record, actor, 'record updated') : unknownId(id, index));
    }
    return reply.code(writeStatus(results, 200)).send({ data: results.map((r) => r.item) });
  }

  async function remove(reply: FastifyReply, module: ModuleDefinition, token: TokenInfo, ids: string[]) {
    if (ids.length === 0) throw requiredParamMissing('ids');
    if (ids.length > MAX_PER_WRITE) throw invalidParam('ids', `at most ${MAX_PER_WRITE} ids at once`);
    const gone = new Set(await deps.records.delete(token.subject, key(module), ids));
    const results = ids.map((id, index) => (gone.has(id) ? deleted(id) : unknownId(id, index)));
    return reply.code(writeStatus(results, 200)).send({ data: results.map((r) => r.item) });
  }

  async function actorOf(token: TokenInfo): Promise<Actor> {
    const user = await deps.users.findByZuid(token.subject);
    return { id: token.subject, name: user?.displayName ?? '' };
  }

  return readFromMemory;
}

/** The `data` array of a write: 1 to 100 records (spec §14.1). */
function writeItems(body: unknown): unknown[] {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (data === undefined)
    throw new ApiError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'data', json_path: '$.data' });
  if (!Array.isArray(data) || data.length === 0)
    throw new ApiError(400, 'INVALID_DATA', 'data must be a non-empty array of records', { api_name: 'data' });
  if (data.length > MAX_PER_WRITE)
    throw new ApiError(400, 'INVALID_DATA', `at most ${MAX_PER_WRITE} records at once`, { api_name: 'data' });
  return data;
}

function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^[1-9][0-9]{0,6}$/.test(value)) throw invalidParam(name, `${name} must be a positive whole number`);
  return Number(value);
}
