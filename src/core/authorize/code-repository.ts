/** An authorization code the authorization endpoint (or a Self Client's Generate Code) issued; the token endpoint redeems it once. */
export interface AuthorizationCode {
  /** Keyed hash of the code. */
  id: string;
  clientId: string;
  userZuid: string;
  /** Canonical scope names, space separated. */
  scopes: string;
  /** The redirect URI the code was issued for; null for Self Client codes, which are redeemed without one. */
  redirectUri: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  nonce: string | null;
  /** How the user signed in (RFC 8176 `amr` values, space separated), for the id_token; null for Self Client codes. */
  amr: string | null;
  /** When the user signed in (ms since the epoch), for the id_token's `auth_time`; null for Self Client codes. */
  authTime: number | null;
  /** The browser session the code was approved in, as the id_token's `sid` (Back-Channel Logout §2.1); null: none. */
  sid: string | null;
  /** `access_type=offline`: the exchange also issues a refresh token. */
  offline: boolean;
  kind: 'web' | 'self';
  description: string | null;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
  /** The DC of the user the code was issued to (spec §9); null or absent: the primary. */
  dc?: string | null;
  /** The RFC 8707 resources the authorization request named (space-separated URIs); absent: none. */
  resources?: string;
  /** An org-wide grant's organisation (`/oauth/v2/org/auth`): the tokens act for it; absent: the user's own grant. */
  orgId?: string;
}

export type CodeConsumption =
  | { status: 'ok'; code: AuthorizationCode }
  | { status: 'already_used'; code: AuthorizationCode }
  | { status: 'expired'; code: AuthorizationCode }
  | { status: 'not_found' };

export interface CodeRepository {
  create(code: AuthorizationCode): Promise<void>;
  find(id: string): Promise<AuthorizationCode | undefined>;
  /**
   * Marks a code used, atomically: of any number of concurrent calls for one code, exactly one gets `ok`.
   * An expired or already used code is left as it is and reported.
   */
  consume(id: string, now: number): Promise<CodeConsumption>;
}
