import type { FastifyReply } from 'fastify';
import type { ModuleDefinition } from '../modules.js';
import type { RecordApi, RecordRequest } from '../record-api.js';
import { searchFilter } from '../record-filter.js';
import { discretePage, modifiedSinceOf, pageData, perPageOf, requestedFields, sendNothing } from '../record-page.js';

/**
 * `GET /{module}/search`: the owner's records matching `criteria`, `email`, `phone` or `word` (see `record-filter.ts`),
 * newest first, in pages of the first 2,000 as Zoho's search has them. Scopes as for a list; `fields` optional.
 */
export async function searchRecords(ctx: RecordApi, request: RecordRequest, reply: FastifyReply, module: ModuleDefinition) {
  const token = await ctx.authorize(request, module, 'READ');
  const filter = searchFilter(module, request.query);
  const fields = requestedFields(request, module, false);
  const perPage = perPageOf(request);
  const { page, offset, limit } = discretePage(request, perPage);
  const modifiedSince = modifiedSinceOf(request);
  const { records, more } = await ctx.deps.records.list(token.subject, ctx.key(module), {
    sortBy: 'id',
    sortOrder: 'desc',
    offset,
    limit,
    filter,
    ...(modifiedSince !== undefined ? { modifiedSince } : {}),
  });
  if (records.length === 0) return sendNothing(reply, modifiedSince);
  return {
    data: pageData(records, fields),
    info: { per_page: perPage, count: records.length, page, more_records: more },
  };
}
