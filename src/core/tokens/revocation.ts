import { unsupportedTokenType } from '../errors/oauth-error.js';
import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import type { DataCenter, DataCenters } from '../datacenters/data-centers.js';
import type { GatehouseEvents } from '../observability/events.js';
import type { StoreOf } from '../store.js';
import { findLiveToken, type TokenKind, type TokenLookupDeps } from './token-lookup.js';

const HINTS: ReadonlySet<string> = new Set(['access_token', 'refresh_token']);

export function parseTokenTypeHint(hint: string | undefined): TokenKind | undefined {
  if (hint === undefined) return undefined;
  if (!HINTS.has(hint))
    throw unsupportedTokenType('token_type_unknown', `The token type ${hint} is not supported; use access_token or refresh_token.`);
  return hint as TokenKind;
}

/** What a revocation took: which kind of token, whose, for which client (never its value). */
export interface RevokedToken {
  kind: TokenKind;
  clientId: string;
  userZuid: string;
}

/**
 * Revokes one token (RFC 7009 §2.1). A refresh token takes every access token issued from it along; an access token
 * goes alone. When `clientId` is given (the caller authenticated), only that client's tokens are touched: RFC 7009
 * says the server "verifies whether the token was issued to the client making the revocation request".
 *
 * A token is revoked at its own DC's accounts server (spec §9); given `where`, one of another DC is left alone, as
 * an unknown one is.
 *
 * Returns the token revoked, or undefined when no live token was; the endpoint decides what that means on the wire.
 */
export async function revokeToken(
  value: string,
  deps: TokenLookupDeps & { events: GatehouseEvents },
  options: { hint?: TokenKind; clientId?: string; where?: { at: DataCenter; dataCenters: DataCenters } } = {},
): Promise<RevokedToken | undefined> {
  const found = await findLiveToken(value, deps, options.hint);
  if (!found) return undefined;
  const { kind, record } = found;
  if (options.clientId !== undefined && record.clientId !== options.clientId) return undefined;
  if (options.where && !options.where.dataCenters.isAt(record.dc ?? null, options.where.at)) return undefined;
  const revoked =
    kind === 'refresh_token' ? await deps.tokens.revokeRefreshToken(record.id) : await deps.tokens.revokeAccessToken(record.id);
  if (!revoked) return undefined;
  deps.events.revoked('token');
  return { kind, clientId: record.clientId, userZuid: record.userZuid };
}

/** The audit event of a revocation: whose token for which client, and its kind. */
export function tokenRevokedEvent(revoked: RevokedToken) {
  return { type: 'token.revoked', userZuid: revoked.userZuid, clientId: revoked.clientId, subject: revoked.kind } as const;
}

/**
 * Ends one user's grant to a client (connected apps, the console, the API): their tokens for it are revoked, the
 * consent forgotten and `grant.revoked` audited, in one transaction, so the revocation and its record land together.
 * Returns whether there was anything to end.
 */
export async function revokeGrant(
  userZuid: string,
  clientId: string,
  by: AuditContext,
  deps: { storage: StoreOf<'tokens' | 'consents' | 'auditEvents'>; audit: AuditLog; events: GatehouseEvents },
): Promise<boolean> {
  const revoked = await deps.storage.transaction(async (tx) => {
    const tokens = await tx.tokens.revokeGrant({ userZuid }, clientId);
    const ended = (await tx.consents.revoke(userZuid, clientId)) || tokens > 0;
    if (ended) await deps.audit.appendIn(tx.auditEvents, by, { type: 'grant.revoked', userZuid, clientId });
    return ended;
  });
  if (revoked) deps.events.revoked('grant');
  return revoked;
}

/**
 * Ends an organisation's grant to a client (an org-wide grant, whichever administrator authorised it): its tokens are
 * revoked and `org.grant.revoked` audited, in one transaction. The caller has checked that the actor administers the
 * organisation. Returns whether there was anything to end.
 */
export async function revokeOrgGrant(
  orgId: string,
  clientId: string,
  by: AuditContext,
  deps: { storage: StoreOf<'tokens' | 'auditEvents'>; audit: AuditLog; events: GatehouseEvents },
): Promise<boolean> {
  const revoked = await deps.storage.transaction(async (tx) => {
    const tokens = await tx.tokens.revokeGrant({ orgId }, clientId);
    if (tokens > 0) await deps.audit.appendIn(tx.auditEvents, by, { type: 'org.grant.revoked', clientId, subject: orgId });
    return tokens > 0;
  });
  if (revoked) deps.events.revoked('grant');
  return revoked;
}
