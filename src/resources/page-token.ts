import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.js';
import type { RecordPosition, RecordQuery } from './record-repository.js';

/** Where a deep list resumes, and for whom: what a `page_token` carries. */
export interface PageState {
  ownerZuid: string;
  /** The module's storage key (`crm.Leads`). */
  module: string;
  sortBy: RecordQuery['sortBy'];
  sortOrder: RecordQuery['sortOrder'];
  /** The last record served. */
  position: RecordPosition;
  /** Records served before the page this token reads. */
  served: number;
  /** The page number this token reads (for `info.page`). */
  page: number;
  /** The `If-Modified-Since` of the first request, which every later page keeps. */
  modifiedSince: number | undefined;
}

/** Zoho's page tokens live for a day. */
export const PAGE_TOKEN_LIFETIME_MS = 24 * 3600 * 1000;
const PURPOSE = 'gatehouse record page token\n';

const invalidToken = (message: string) => new ApiError(400, 'INVALID_DATA', message, { param_name: 'page_token' });

/**
 * `page_token`s: the state of a deep list (owner, module, order, last record served) in base64url JSON, then a keyed
 * hash of it under the server's key (`CredentialHasher.hash`, domain-separated by a purpose prefix), so one cannot be
 * made or changed without the key, on any node sharing it. A token opens only for the owner and module it was issued
 * for, and only until it expires; it reveals nothing a caller could not see already (its own record IDs).
 */
export class PageTokens {
  constructor(
    private readonly keyedHash: (text: string) => string,
    private readonly now: () => number,
  ) {}

  issue(state: PageState): { token: string; expiresAt: number } {
    const expiresAt = this.now() + PAGE_TOKEN_LIFETIME_MS;
    const body = Buffer.from(JSON.stringify({ ...state, expiresAt })).toString('base64url');
    return { token: `${body}.${this.keyedHash(PURPOSE + body)}`, expiresAt };
  }

  /** The state of a token issued for this owner and module; a Zoho error for any other. */
  open(token: string, ownerZuid: string, module: string): PageState {
    const dot = token.indexOf('.');
    const body = token.slice(0, dot);
    const mac = Buffer.from(token.slice(dot + 1), 'hex');
    const expected = Buffer.from(this.keyedHash(PURPOSE + body), 'hex');
    if (dot <= 0 || mac.length !== expected.length || !timingSafeEqual(mac, expected))
      throw invalidToken('the page token given seems to be invalid');
    const { expiresAt, ...state } = JSON.parse(Buffer.from(body, 'base64url').toString()) as PageState & { expiresAt: number };
    if (state.ownerZuid !== ownerZuid || state.module !== module) throw invalidToken('the page token given seems to be invalid');
    if (this.now() >= expiresAt) throw invalidToken('the page token has expired');
    return state;
  }
}
