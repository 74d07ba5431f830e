import { ManagementError } from '../errors/management-error.js';
import type { UserRepository } from '../users/user-repository.js';
import { AUDIT_EVENT_TYPES, isAuditEventType, type AuditEventRepository, type AuditQuery, type StoredAuditEvent } from './audit-log.js';

/**
 * The filters of an audit log listing as they arrive (API query string, console form, CLI options): text, checked
 * here once for every front door. Anything else than a string (a repeated query parameter) is refused.
 */
export interface AuditFilterInput {
  type?: unknown;
  /** A ZUID, or an email (looked up). */
  user?: unknown;
  client?: unknown;
  /** ISO 8601 times: at or after `since`, before `until`. */
  since?: unknown;
  until?: unknown;
  limit?: unknown;
  /** The `next` of the previous page. */
  cursor?: unknown;
}

export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 200;

export interface AuditPage {
  events: StoredAuditEvent[];
  /** Opaque; pass it back as `cursor` for the next (older) page. Null on the last page. */
  next: string | null;
}

/** Reads and checks the filters; a bad one is `request.invalid` naming the field, as every management error does. */
export async function parseAuditFilters(input: AuditFilterInput, users: UserRepository): Promise<AuditQuery> {
  const query: AuditQuery = { limit: DEFAULT_AUDIT_PAGE };
  const type = text(input, 'type');
  if (type !== undefined) {
    if (!isAuditEventType(type)) invalid('type', `type must be one of ${AUDIT_EVENT_TYPES.join(', ')}.`);
    query.type = type;
  }
  const user = text(input, 'user');
  if (user !== undefined) query.userZuid = user.includes('@') ? await zuidOf(user, users) : user;
  const client = text(input, 'client');
  if (client !== undefined) query.clientId = client;
  const since = time(input, 'since');
  if (since !== undefined) query.since = since;
  const until = time(input, 'until');
  if (until !== undefined) query.until = until;
  const limit = text(input, 'limit');
  if (limit !== undefined) {
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : 0;
    if (n < 1 || n > MAX_AUDIT_PAGE) invalid('limit', `limit must be a whole number from 1 to ${MAX_AUDIT_PAGE}.`);
    query.limit = n;
  }
  const cursor = text(input, 'cursor');
  if (cursor !== undefined) query.beforeId = decodeCursor(cursor);
  return query;
}

/** One page, newest first: one more event than asked for is read, to know whether there is a next page. */
export async function listAuditEvents(query: AuditQuery, events: AuditEventRepository): Promise<AuditPage> {
  const found = await events.list({ ...query, limit: query.limit + 1 });
  const page = found.slice(0, query.limit);
  return { events: page, next: found.length > query.limit ? encodeCursor(page[page.length - 1]!.id) : null };
}

/** Opaque to callers, so what it holds (today the last event's ID) may change without breaking them. */
function encodeCursor(id: number): string {
  return Buffer.from(`e${id}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const match = /^e(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  if (!match) invalid('cursor', 'cursor must be the next value of a previous page.');
  return Number(match[1]);
}

async function zuidOf(email: string, users: UserRepository): Promise<string> {
  const user = await users.findByEmail(email.trim());
  if (!user) invalid('user', 'No user has this email.');
  return user.zuid;
}

/** A filter left empty (a form's blank field) is no filter. */
function text(input: AuditFilterInput, field: keyof AuditFilterInput): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') invalid(field, `${field} must be given once, as text.`);
  if (value.includes('\u0000') || value.length > 320) invalid(field, `${field} is not a valid filter.`);
  return value.trim();
}

function time(input: AuditFilterInput, field: 'since' | 'until'): number | undefined {
  const value = text(input, field);
  if (value === undefined) return undefined;
  // A date, or a date and time (a browser's datetime-local field sends no seconds and no zone: read as UTC).
  const iso = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(value);
  const ms = iso ? Date.parse(iso[1] !== undefined && iso[4] === undefined ? `${value}Z` : value) : NaN;
  if (!Number.isFinite(ms)) invalid(field, `${field} must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z.`);
  return ms;
}

function invalid(field: string, message: string): never {
  throw new ManagementError('request.invalid', message, 400, field);
}
