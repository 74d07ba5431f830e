/** What a resource server learns about a valid token. */
export interface TokenInfo {
  /** The token owner's ID (Gatehouse: the ZUID). */
  subject: string;
  clientId: string;
  /** Granted scopes, as names. */
  scopes: string[];
  /** The owner's email, when the verifier knows it. */
  username?: string;
  /** Epoch seconds. */
  expiresAt?: number;
}

/**
 * Resolves a token to what it grants, or undefined when it is not valid (unknown, expired, revoked). Gatehouse
 * provides one reading its own store; `introspectionVerifier` asks a Gatehouse over RFC 7662.
 */
export type TokenVerifier = (token: string) => Promise<TokenInfo | undefined>;
