import type { FastifyReply } from 'fastify';
import type { TokenInfo } from '@gatehouse/resource-server';
import { invalidParam } from '../api-error.js';
import type { ModuleDefinition } from '../modules.js';
import type { PageState } from '../page-token.js';
import type { RecordApi, RecordRequest } from '../record-api.js';
import { discretePage, modifiedSinceOf, pageData, perPageOf, requestedFields, sendNothing, sortOf } from '../record-page.js';
import type { ModuleRecord, RecordQuery } from '../record-repository.js';
import { zohoTime } from '../record-shapes.js';

/** A list reaches at most this many records, the last 98,000 through page tokens (spec §14.1). */
export const PAGE_TOKEN_LIMIT = 100_000;

/**
 * `GET /{module}`: a page of the owner's records. `page`/`per_page` reach the first 2,000; every page with more after
 * it carries a `page_token` that reads on by keyset (after the last record served, not by offset) up to 100,000.
 * `If-Modified-Since` keeps only records changed after it: none is 304.
 */
export async function listRecords(ctx: RecordApi, request: RecordRequest, reply: FastifyReply, module: ModuleDefinition) {
  const token = await ctx.authorize(request, module, 'READ');
  const q = request.query;
  const fields = requestedFields(request, module, ctx.api.listNeedsFields);
  const perPage = perPageOf(request);
  const ids = q.ids?.split(',').filter((id) => id !== '');
  const start = q.page_token === undefined ? firstPages(request, perPage) : resume(ctx, request, token, module);
  const query: RecordQuery = {
    sortBy: start.sortBy,
    sortOrder: start.sortOrder,
    offset: start.offset,
    limit: Math.min(start.limit, perPage, PAGE_TOKEN_LIMIT - start.served),
    ...(ids ? { ids } : {}),
    ...(start.modifiedSince !== undefined ? { modifiedSince: start.modifiedSince } : {}),
    ...(start.after ? { after: start.after } : {}),
  };
  const { records, more } = await ctx.deps.records.list(token.subject, ctx.key(module), query);
  // Zoho answers an empty list with 204 and no body (spec §14.1).
  if (records.length === 0) return sendNothing(reply, start.modifiedSince);
  const served = start.served + records.length;
  const next =
    more && served < PAGE_TOKEN_LIMIT ? ctx.deps.pageTokens.issue(nextState(token, ctx.key(module), start, records, served)) : undefined;
  return {
    data: pageData(records, fields),
    info: {
      per_page: perPage,
      count: records.length,
      page: start.page,
      sort_by: start.sortBy,
      sort_order: start.sortOrder,
      more_records: more,
      next_page_token: next?.token ?? null,
      previous_page_token: null,
      page_token_expiry: next ? zohoTime(next.expiresAt) : null,
    },
  };
}

type Start = Omit<PageState, 'ownerZuid' | 'module' | 'position'> & {
  offset: number;
  limit: number;
  after?: PageState['position'];
};

function firstPages(request: RecordRequest, perPage: number): Start {
  const { page, offset, limit } = discretePage(request, perPage);
  return { ...sortOf(request), page, offset, limit, served: offset, modifiedSince: modifiedSinceOf(request) };
}

/** A page after a token: its order, filter and position are the token's; `page` and the sort may not be given. */
function resume(ctx: RecordApi, request: RecordRequest, token: TokenInfo, module: ModuleDefinition): Start {
  for (const name of ['page', 'sort_by', 'sort_order'])
    if (request.query[name] !== undefined) throw invalidParam(name, `${name} cannot be given with page_token`);
  const state = ctx.deps.pageTokens.open(request.query.page_token!, token.subject, ctx.key(module));
  const { position, ownerZuid: _owner, module: _module, ...rest } = state;
  return { ...rest, offset: 0, limit: Number.POSITIVE_INFINITY, after: position };
}

function nextState(token: TokenInfo, module: string, start: Start, records: readonly ModuleRecord[], served: number): PageState {
  const last = records[records.length - 1]!;
  const sortValue = start.sortBy === 'id' ? last.id : start.sortBy === 'Created_Time' ? last.createdAt : last.modifiedAt;
  return {
    ownerZuid: token.subject,
    module,
    sortBy: start.sortBy,
    sortOrder: start.sortOrder,
    position: { sortValue, id: last.id },
    served,
    page: start.page + 1,
    modifiedSince: start.modifiedSince,
  };
}
