import type { ScopeRegistry } from '../scopes/registry.js';
import type { Scope } from '@gatehouse/resource-server';
import { grantedScopes } from '../grants/granted-scopes.js';
import type { AccessToken, RefreshToken, TokenRepository } from './token-repository.js';
import type { CredentialHasher } from './credential-hasher.js';
import { looksLikeJwt, looksLikeOpaqueToken } from './identifiers.js';

export type TokenKind = 'access_token' | 'refresh_token';

export type FoundToken =
  { kind: 'access_token'; record: AccessToken; scopes: Scope[] } | { kind: 'refresh_token'; record: RefreshToken; scopes: Scope[] };

export interface TokenLookupDeps {
  tokens: TokenRepository;
  hasher: CredentialHasher;
  scopes: ScopeRegistry;
  now: () => number;
}

/**
 * The record of a presented code or token and the key it is stored under, trying each key it may be stored under
 * (`CredentialHasher.presentedKeys`): one indexed read for any credential Gatehouse issues now.
 */
export async function findPresented<T>(
  value: string,
  hasher: CredentialHasher,
  find: (key: string) => Promise<T | undefined>,
): Promise<{ key: string; record: T } | undefined> {
  for (const key of hasher.presentedKeys(value)) {
    const record = await find(key);
    if (record !== undefined) return { key, record };
  }
  return undefined;
}

/**
 * Finds a live token by its value. Expired access tokens count as not found. `hint` only orders the search (RFC 7009
 * §2.1, RFC 7662 §2.1: the server "MAY ignore" it, and a wrong hint must not hide the token).
 */
export async function findLiveToken(value: string, deps: TokenLookupDeps, hint?: TokenKind): Promise<FoundToken | undefined> {
  // A JWT is an access token (RFC 9068); refresh tokens are always opaque.
  const order: TokenKind[] = looksLikeOpaqueToken(value)
    ? hint === 'refresh_token'
      ? ['refresh_token', 'access_token']
      : ['access_token', 'refresh_token']
    : looksLikeJwt(value)
      ? ['access_token']
      : [];
  for (const kind of order) {
    if (kind === 'access_token') {
      const record = await findLiveAccessTokenRecord(value, deps);
      if (record) return { kind, record, scopes: grantedScopes(record.scopes, deps.scopes) };
    } else {
      const found = await findPresented(value, deps.hasher, (key) => deps.tokens.findRefreshToken(key));
      if (found) return { kind, record: found.record, scopes: grantedScopes(found.record.scopes, deps.scopes) };
    }
  }
  return undefined;
}

/**
 * The live access token a resource request presents, or undefined. The hot path of every protected API call. A JWT
 * access token is found like an opaque one, by the keyed hash of its whole value (`TokenIssuer`): its signature and
 * claims need no check here, as only a JWT this server stored, unaltered, can be found.
 */
export async function findLiveAccessTokenRecord(value: string, deps: Omit<TokenLookupDeps, 'scopes'>): Promise<AccessToken | undefined> {
  if (!mayBeAccessToken(value)) return undefined;
  const found = await findPresented(value, deps.hasher, (key) => deps.tokens.findAccessToken(key));
  return found && found.record.expiresAt > deps.now() ? found.record : undefined;
}

/**
 * `findLiveAccessTokenRecord` from memory only, without a promise (`TokenRepository.peekAccessToken`): the live token
 * if the store holds it in memory, else undefined, which means "ask `findLiveAccessTokenRecord`".
 */
export function peekLiveAccessTokenRecord(value: string, deps: Omit<TokenLookupDeps, 'scopes'>): AccessToken | undefined {
  if (!mayBeAccessToken(value)) return undefined;
  for (const key of deps.hasher.presentedKeys(value)) {
    const record = deps.tokens.peekAccessToken(key);
    if (record !== undefined) return record.expiresAt > deps.now() ? record : undefined;
  }
  return undefined;
}

/** An opaque token passes the first test, so it pays nothing for JWTs. */
function mayBeAccessToken(value: string): boolean {
  return looksLikeOpaqueToken(value) || looksLikeJwt(value);
}

/** The live access token with its scopes resolved through the registry. */
export async function findLiveAccessToken(
  value: string,
  deps: TokenLookupDeps,
): Promise<{ record: AccessToken; scopes: Scope[] } | undefined> {
  const record = await findLiveAccessTokenRecord(value, deps);
  return record && { record, scopes: grantedScopes(record.scopes, deps.scopes) };
}
