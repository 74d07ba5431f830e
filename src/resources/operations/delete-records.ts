import type { FastifyReply } from 'fastify';
import { invalidParam, requiredParamMissing } from '../api-error.js';
import type { ModuleDefinition } from '../modules.js';
import { MAX_PER_WRITE, type RecordApi, type RecordRequest } from '../record-api.js';
import { deleted, unknownId, writeStatus } from '../record-shapes.js';

/** `DELETE /{module}?ids=a,b` (up to 100) and `DELETE /{module}/{id}`: each deleted, or unknown to this owner. */
export async function deleteRecords(
  ctx: RecordApi,
  request: RecordRequest,
  reply: FastifyReply,
  module: ModuleDefinition,
  pathId: string | undefined,
) {
  const token = await ctx.authorize(request, module, 'DELETE');
  const ids = pathId !== undefined ? [pathId] : (request.query.ids ?? '').split(',').filter((id) => id !== '');
  if (ids.length === 0) throw requiredParamMissing('ids');
  if (ids.length > MAX_PER_WRITE) throw invalidParam('ids', `at most ${MAX_PER_WRITE} ids at once`);
  const gone = new Set(await ctx.deps.records.delete(token.subject, ctx.key(module), ids));
  const results = ids.map((id, index) => (gone.has(id) ? deleted(id) : unknownId(id, index)));
  return reply.code(writeStatus(results, 200)).send({ data: results.map((r) => r.item) });
}
