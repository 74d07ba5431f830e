import { unsupportedTokenType } from '../errors/oauth-error.js';
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
 * Returns the token revoked, or undefined when no live token was; the endpoint decides what that means on the wire.
 */
export async function revokeToken(
  value: string,
  deps: TokenLookupDeps,
  options: { hint?: TokenKind; clientId?: string } = {},
): Promise<RevokedToken | undefined> {
  const found = await findLiveToken(value, deps, options.hint);
  if (!found) return undefined;
  const { kind, record } = found;
  if (options.clientId !== undefined && record.clientId !== options.clientId) return undefined;
  const revoked =
    kind === 'refresh_token' ? await deps.tokens.revokeRefreshToken(record.id) : await deps.tokens.revokeAccessToken(record.id);
  return revoked ? { kind, clientId: record.clientId, userZuid: record.userZuid } : undefined;
}

/** The audit event of a revocation: whose token for which client, and its kind. */
export function tokenRevokedEvent(revoked: RevokedToken) {
  return { type: 'token.revoked', userZuid: revoked.userZuid, clientId: revoked.clientId, subject: revoked.kind } as const;
}
