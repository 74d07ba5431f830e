/** A refresh token; `id` is the keyed hash of its value. */
export interface RefreshToken {
  id: string;
  clientId: string;
  userZuid: string;
  scopes: string;
  /** The code this token was issued from, so a replayed code can revoke it (RFC 9700 §4.2.4). */
  originCodeId: string | null;
  /** The DPoP key thumbprint a public client's refresh token is bound to (RFC 9449 §5); null when unbound. */
  jkt: string | null;
  createdAt: number;
  /** The DC the token belongs to: its user's home DC when issued (spec §9); null or absent: the primary. */
  dc?: string | null;
  /** The RFC 8707 resources granted (space-separated URIs), which its access tokens may be restricted to; absent: none. */
  resources?: string;
  /** The organisation an org-wide grant acts for (spec §0); absent: the user's own grant. */
  orgId?: string;
  /**
   * The browser sign-in the grant was made in, from its code: what a refresh's id_token and JWT access token say of
   * the original authentication (OpenID Connect Core §12.2). Absent for grants of no sign-in (Self Client, device).
   */
  signIn?: GrantSignIn;
}

/** How and when the user signed in for a grant (RFC 8176 `amr` values, ms since the epoch), and the session's `sid`. */
export interface GrantSignIn {
  amr: string | null;
  authTime: number | null;
  sid: string | null;
}

export interface AccessToken {
  id: string;
  clientId: string;
  userZuid: string;
  scopes: string;
  refreshTokenId: string | null;
  originCodeId: string | null;
  /** The DPoP key thumbprint the token is bound to (RFC 9449 `cnf.jkt`); null for a bearer token. */
  jkt: string | null;
  createdAt: number;
  expiresAt: number;
  /** The DC the token belongs to: its user's home DC when issued (spec §9); null or absent: the primary. */
  dc?: string | null;
  /**
   * The audiences the token is restricted to (RFC 8707; space-separated URIs, as JWT access tokens' `aud`); absent:
   * unrestricted, valid at every resource server of its DC.
   */
  audience?: string;
  /**
   * The organisation the token acts for: an org-wide grant's, or a Self Client's `soid` (spec §0, §3.4); absent: the
   * user's own data. `userZuid` is still who authorised it.
   */
  orgId?: string;
}

/**
 * Whose grant a set of tokens is: a user's own, or an organisation's (an org-wide grant, whichever administrator
 * authorised it). A user's own never includes the org-wide grants they authorised.
 */
export type GrantHolder = { userZuid: string } | { orgId: string };

/**
 * A scope-enhancement token (spec §8): lets its client ask the refresh token's user for more scopes, once, for a few
 * minutes. Kept apart from access tokens, so it is never a bearer token. `id` is the keyed hash of its value.
 */
export interface ScopeEnhancementToken {
  id: string;
  clientId: string;
  refreshTokenId: string;
  createdAt: number;
  expiresAt: number;
}

/** One (holder, client) pair with live refresh tokens: what a "connected apps" page lists. */
export interface GrantSummary {
  clientId: string;
  holder: GrantHolder;
  scopes: string;
  refreshTokens: number;
  firstGrantedAt: number;
  lastGrantedAt: number;
}

export interface TokenRepository {
  createRefreshToken(token: RefreshToken): Promise<void>;
  findRefreshToken(id: string): Promise<RefreshToken | undefined>;
  /**
   * Stores the access token only if its user exists and is not disabled; false (nothing stored) otherwise. It is the
   * one check every grant passes, so it costs no extra query: the insert carries it. On PostgreSQL it also holds the
   * user's row until the transaction ends, so a concurrent `UserRepository.setDisabled` waits and its revocation that
   * follows sees this token.
   *
   * Called on the store itself (outside a transaction), concurrent calls share one commit: the token endpoint's
   * grants that store nothing else (client_credentials) go this way.
   *
   * Rejects with `ClientGoneError` when the client was deleted after the caller authenticated it.
   */
  createAccessToken(token: AccessToken): Promise<boolean>;
  /** Finds an access token whatever its expiry; callers decide what expired means. */
  findAccessToken(id: string): Promise<AccessToken | undefined>;
  /**
   * `findAccessToken` from memory only, without a promise: the token if the store holds it in memory and provably
   * unchanged since read (SQLite's read cache), else undefined, which means "ask `findAccessToken`", not "no such
   * token". Every protected API call looks its token up; this lets the repeat ones skip the promise machinery.
   */
  peekAccessToken(id: string): AccessToken | undefined;
  /** Keeps the `keep` newest refresh tokens of a (holder, client) pair, deleting older ones and their access tokens. */
  evictRefreshTokens(holder: GrantHolder, clientId: string, keep: number): Promise<number>;
  /** Keeps the `keep` newest live access tokens of a refresh token, deleting the older ones. */
  evictAccessTokens(refreshTokenId: string, keep: number): Promise<number>;
  /** Deletes a refresh token and every access token issued from it. False when there was none. */
  revokeRefreshToken(id: string): Promise<boolean>;
  revokeAccessToken(id: string): Promise<boolean>;
  /** Deletes every token issued from a code (replay defence). Returns how many went. */
  revokeIssuedFromCode(codeId: string): Promise<number>;
  /** Deletes every token a holder has for a client (connected apps → Revoke). */
  revokeGrant(holder: GrantHolder, clientId: string): Promise<number>;
  /**
   * Deletes every access token, refresh token and authorization code of a user, for every client, the org-wide grants
   * they authorised included (a disabled account's grants all end). Returns how many went.
   */
  revokeAllForUser(userZuid: string): Promise<number>;
  listGrants(holder: GrantHolder): Promise<GrantSummary[]>;
  /** Replaces a refresh token's scopes (incremental authorization widens them); false when there is no such token. */
  setRefreshTokenScopes(id: string, scopes: string): Promise<boolean>;
  createScopeEnhancementToken(token: ScopeEnhancementToken): Promise<void>;
  /** Finds one whatever its expiry; callers decide what expired means. */
  findScopeEnhancementToken(id: string): Promise<ScopeEnhancementToken | undefined>;
  /** Takes a live one (deletes it): true for exactly one of several concurrent callers, false when none was live. */
  consumeScopeEnhancementToken(id: string, now: number): Promise<boolean>;
  /** Deletes access tokens, codes and scope-enhancement tokens that expired before `before`. */
  purgeExpired(before: number): Promise<number>;
}
