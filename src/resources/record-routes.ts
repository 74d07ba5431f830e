import type { FastifyInstance } from 'fastify';
import { JSON_CONTENT_TYPE } from './read-lane.js';
import { invalidRequestMethod } from './api-error.js';
import type { ModuleDefinition } from './modules.js';
import { createRecords } from './operations/create-records.js';
import { deleteRecords } from './operations/delete-records.js';
import { getRecord } from './operations/get-record.js';
import { listRecords } from './operations/list-records.js';
import { searchRecords } from './operations/search-records.js';
import { updateRecords } from './operations/update-records.js';
import { upsertRecords } from './operations/upsert-records.js';
import { RecordApi, type ProductApi, type RecordRouteDeps } from './record-api.js';
import { singleRecordBody } from './record-shapes.js';

/**
 * The body of the 200 answering `GET /{module}/{id}` (path segments as sent) when memory alone can give it: the token
 * live, in memory and with the scope to read the module, the record in memory. Undefined for anything else (a miss, a
 * refusal, an unknown module), which the route then works out in full, reading the store and saying what is wrong.
 */
export type RecordMemoryReader = (moduleName: string, id: string, authorization: string | string[] | undefined) => string | undefined;

const ANY_METHOD = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/**
 * The record endpoints of one product (spec §14): list, get, create, update (many or one), delete (many or one),
 * search and upsert, each in its own module under operations/. This file only routes: every operation, and the read
 * from memory, accepts the token through `RecordApi` (its scope for the module and operation) and touches only the
 * token owner's records.
 */
export function recordRoutes(app: FastifyInstance, api: ProductApi, deps: RecordRouteDeps): RecordMemoryReader {
  const ctx = new RecordApi(api, deps);
  type ModuleRoute = { Params: { module: string }; Querystring: Record<string, string | undefined> };

  app.route<ModuleRoute>({
    method: [...ANY_METHOD],
    url: '/:module',
    handler: async (request, reply) => {
      const module = ctx.moduleOf(request.params.module);
      switch (request.method) {
        case 'GET':
          return listRecords(ctx, request, reply, module);
        case 'POST':
          return createRecords(ctx, request, reply, module);
        case 'PUT':
          return updateRecords(ctx, request, reply, module, undefined);
        case 'DELETE':
          return deleteRecords(ctx, request, reply, module, undefined);
        default:
          throw invalidRequestMethod();
      }
    },
  });

  // Fixed segments win over `/:module/:id` in Fastify's router, whatever the method; any other method is Zoho's 405.
  const oneMethod = (url: string, method: string, operation: typeof searchRecords) =>
    app.route<ModuleRoute>({
      method: [...ANY_METHOD],
      url,
      handler: async (request, reply) => {
        const module = ctx.moduleOf(request.params.module);
        if (request.method !== method) throw invalidRequestMethod();
        return operation(ctx, request, reply, module);
      },
    });
  oneMethod('/:module/search', 'GET', searchRecords);
  oneMethod('/:module/upsert', 'POST', upsertRecords);

  const recordFromMemory = (module: ModuleDefinition, id: string, authorization: string | string[] | undefined): string | undefined => {
    const token = ctx.authorizeFromMemory(authorization, module, 'READ');
    if (token === undefined) return undefined;
    const record = deps.records.peek(token.subject, ctx.key(module), id);
    return record && singleRecordBody(record);
  };

  // Not an async handler: a GET that memory answers is sent without a promise.
  app.route<ModuleRoute & { Params: { id: string } }>({
    method: [...ANY_METHOD],
    url: '/:module/:id',
    handler: (request, reply) => {
      const module = ctx.moduleOf(request.params.module);
      const id = request.params.id;
      switch (request.method) {
        case 'GET': {
          const body = recordFromMemory(module, id, request.headers.authorization);
          if (body !== undefined) return void reply.type(JSON_CONTENT_TYPE).send(body);
          return getRecord(ctx, request, reply, module, id);
        }
        case 'PUT':
          return updateRecords(ctx, request, reply, module, id);
        case 'DELETE':
          return deleteRecords(ctx, request, reply, module, id);
        default:
          throw invalidRequestMethod();
      }
    },
  });

  return (moduleName, id, authorization) => {
    const module = ctx.findModule(moduleName);
    return module && recordFromMemory(module, id, authorization);
  };
}
