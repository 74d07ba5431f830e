import type { FastifyReply } from 'fastify';
import { ApiError, invalidParam } from './api-error.js';
import type { ModuleDefinition } from './modules.js';
import { positiveInt, type RecordRequest } from './record-api.js';
import type { ModuleRecord, RecordQuery } from './record-repository.js';
import { apiRecord } from './record-shapes.js';

export const MAX_PER_PAGE = 200;
/** `page` and `per_page` reach this many records; beyond, only a `page_token` (spec §14.1). */
export const DISCRETE_PAGINATION_LIMIT = 2_000;
const SYSTEM_FIELDS = ['id', 'Owner', 'Created_Time', 'Modified_Time'];

/**
 * What list and search share: `fields`, `per_page`, the sort, `page` within the first 2,000 records, the
 * `If-Modified-Since` header, and the answer for an empty page.
 */
export function requestedFields(request: RecordRequest, module: ModuleDefinition, required: boolean): string[] | undefined {
  const fields = request.query.fields?.split(',').filter((f) => f !== '');
  if (required && (!fields || fields.length === 0))
    throw new ApiError(400, 'REQUIRED_PARAM_MISSING', 'required param is missing', { param_name: 'fields' });
  if (!fields) return undefined;
  if (fields.length > 50) throw invalidParam('fields', 'at most 50 fields');
  const known = new Set([...module.fields.map((f) => f.apiName), ...SYSTEM_FIELDS]);
  const unknown = fields.find((f) => !known.has(f));
  if (unknown) throw new ApiError(400, 'INVALID_DATA', `the field ${unknown} is not in ${module.plural}`, { api_name: unknown });
  return fields.filter((f) => f !== 'id');
}

export function perPageOf(request: RecordRequest): number {
  const perPage = positiveInt(request.query.per_page, 'per_page', MAX_PER_PAGE);
  if (perPage > MAX_PER_PAGE) throw invalidParam('per_page', `per_page is at most ${MAX_PER_PAGE}`);
  return perPage;
}

export function sortOf(request: RecordRequest): Pick<RecordQuery, 'sortBy' | 'sortOrder'> {
  const sortBy = (request.query.sort_by ?? 'id') as RecordQuery['sortBy'];
  if (!['id', 'Created_Time', 'Modified_Time'].includes(sortBy))
    throw invalidParam('sort_by', 'sort_by must be id, Created_Time or Modified_Time');
  const sortOrder = (request.query.sort_order ?? 'desc') as RecordQuery['sortOrder'];
  if (sortOrder !== 'asc' && sortOrder !== 'desc') throw invalidParam('sort_order', 'sort_order must be asc or desc');
  return { sortBy, sortOrder };
}

/** `page` as an offset and limit within the first 2,000 records; a page starting beyond them is Zoho's error. */
export function discretePage(request: RecordRequest, perPage: number): { page: number; offset: number; limit: number } {
  const page = positiveInt(request.query.page, 'page', 1);
  const offset = (page - 1) * perPage;
  if (offset >= DISCRETE_PAGINATION_LIMIT)
    throw new ApiError(
      400,
      'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
      `You can only get the first ${DISCRETE_PAGINATION_LIMIT} records without using page_token param.`,
      { limit: DISCRETE_PAGINATION_LIMIT },
    );
  return { page, offset, limit: Math.min(perPage, DISCRETE_PAGINATION_LIMIT - offset) };
}

/** The `If-Modified-Since` header as epoch milliseconds: Zoho's ISO 8601 with offset, or an HTTP date. */
export function modifiedSinceOf(request: RecordRequest): number | undefined {
  const header = request.headers['if-modified-since'];
  if (header === undefined) return undefined;
  const time = Date.parse(header);
  if (header.length > 64 || Number.isNaN(time))
    throw new ApiError(400, 'INVALID_DATA', 'If-Modified-Since must be a date and time', { header_name: 'If-Modified-Since' });
  return time;
}

/** Nothing to list: 304 when the caller asked only for what changed since a time, else 204 (both without a body). */
export function sendNothing(reply: FastifyReply, modifiedSince: number | undefined): FastifyReply {
  return reply.code(modifiedSince === undefined ? 204 : 304).send();
}

export function pageData(records: readonly ModuleRecord[], fields: readonly string[] | undefined): Record<string, unknown>[] {
  return records.map((r) => apiRecord(r, fields));
}
