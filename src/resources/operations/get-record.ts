import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleDefinition } from '../modules.js';
import { JSON_CONTENT_TYPE } from '../read-lane.js';
import type { RecordApi } from '../record-api.js';
import { singleRecordBody } from '../record-shapes.js';

/** `GET /{module}/{id}` from the store (the read lane answers from memory first): the record, or 204. */
export async function getRecord(ctx: RecordApi, request: FastifyRequest, reply: FastifyReply, module: ModuleDefinition, id: string) {
  const token = await ctx.authorize(request, module, 'READ');
  const record = await ctx.deps.records.get(token.subject, ctx.key(module), id);
  if (!record) return reply.code(204).send();
  return reply.type(JSON_CONTENT_TYPE).send(singleRecordBody(record));
}
