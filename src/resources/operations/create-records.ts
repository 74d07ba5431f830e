import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleDefinition } from '../modules.js';
import { writeItems, type RecordApi } from '../record-api.js';
import { failed, written, writeStatus, type WriteResult } from '../record-shapes.js';
import { validateRecord } from '../validate-record.js';

/** `POST /{module}`: 1 to 100 records, each added or refused on its own (201, 207 or 400). */
export async function createRecords(ctx: RecordApi, request: FastifyRequest, reply: FastifyReply, module: ModuleDefinition) {
  const token = await ctx.authorize(request, module, 'CREATE');
  const items = writeItems(request.body);
  const actor = await ctx.actorOf(token);
  const results: WriteResult[] = [];
  for (const [index, item] of items.entries()) {
    const checked = validateRecord(item, module, 'create', index);
    if (!checked.ok) {
      results.push(failed(checked.failure));
      continue;
    }
    const record = ctx.newRecord(module, token.subject, checked.data);
    await ctx.deps.records.create(record);
    results.push(written(record, actor, 'record added'));
  }
  return reply.code(writeStatus(results, 201)).send({ data: results.map((r) => r.item) });
}
