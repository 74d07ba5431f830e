import { unsupportedTokenType } from '../errors/oauth-error.js';
import type { GatehouseEvents } from '../observability/events.js';
import type { Storage } from '../../storage/storage.js';
import { findLiveToken, type TokenKind, type TokenLookupDeps } from './token-lookup.js';

const HINTS: ReadonlySet<string> = new Set(['access_token', 'refresh_token']);

export function parseTokenTypeHint(hint: string | undefined): TokenKind | undefined {
  if (hint === undefined) return undefined;
  if (!HINTS.has(hint))
    throw unsupportedTokenType('token_type_unknown', `The token type ${hint} is not supported; use access_token or refresh_token.`);
  return hint as TokenKind;
}

/**
 * Revokes one token (RFC 7009 §2.1). A refresh token takes every access token issued from it along; an access token
 * goes alone. When `clientId` is given (the caller authenticated), only that client's tokens are touched: RFC 7009
 * says the server "verifies whether the token was issued to the client making the revocation request".
 *
 * Returns whether a live token was revoked; the endpoint decides what an unknown token means on the wire.
 */
export async function revokeToken(
  value: string,
  deps: TokenLookupDeps & { events: GatehouseEvents },
  options: { hint?: TokenKind; clientId?: string } = {},
): Promise<boolean> {
  const found = await findLiveToken(value, deps, options.hint);
  if (!found) return false;
  if (options.clientId !== undefined && found.record.clientId !== options.clientId) return false;
  const revoked =
    found.kind === 'refresh_token'
      ? await deps.tokens.revokeRefreshToken(found.record.id)
      : await deps.tokens.revokeAccessToken(found.record.id);
  if (revoked) deps.events.revoked('token');
  return revoked;
}

/**
 * Ends one user's grant to a client (connected apps, the console): their tokens for it are revoked and the consent
 * forgotten, together. Returns whether there was anything to end.
 */
export async function revokeGrant(
  userZuid: string,
  clientId: string,
  deps: { storage: Pick<Storage, 'transaction'>; events: GatehouseEvents },
): Promise<boolean> {
  const revoked = await deps.storage.transaction(async (tx) => {
    const tokens = await tx.tokens.revokeGrant(userZuid, clientId);
    return (await tx.consents.revoke(userZuid, clientId)) || tokens > 0;
  });
  if (revoked) deps.events.revoked('grant');
  return revoked;
}
