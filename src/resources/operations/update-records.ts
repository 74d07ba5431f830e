import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../api-error.js';
import type { ModuleDefinition } from '../modules.js';
import { writeItems, type RecordApi } from '../record-api.js';
import { failed, unknownId, written, writeStatus, type WriteResult } from '../record-shapes.js';
import { validateRecord } from '../validate-record.js';

/**
 * `PUT /{module}` (each item carries its `id`) and `PUT /{module}/{id}` (one item): the fields given replace those
 * stored, the others stay.
 */
export async function updateRecords(
  ctx: RecordApi,
  request: FastifyRequest,
  reply: FastifyReply,
  module: ModuleDefinition,
  pathId: string | undefined,
) {
  const token = await ctx.authorize(request, module, 'UPDATE');
  const items = writeItems(request.body);
  if (pathId !== undefined && items.length !== 1)
    throw new ApiError(400, 'INVALID_DATA', 'send exactly one record to update a record by its id', { api_name: 'data' });
  const actor = await ctx.actorOf(token);
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
    const key = ctx.key(module);
    const existing = await ctx.deps.records.get(token.subject, key, id);
    const record =
      existing && (await ctx.deps.records.update(token.subject, key, id, { ...existing.data, ...checked.data }, ctx.deps.now()));
    results.push(record ? written(record, actor, 'record updated') : unknownId(id, index));
  }
  return reply.code(writeStatus(results, 200)).send({ data: results.map((r) => r.item) });
}
