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
  /**
   * The JWK thumbprint the token is bound to (RFC 9449 `cnf.jkt`): such a token is accepted only as
   * `Authorization: DPoP <token>` with a proof signed by that key, never as a bearer token.
   */
  jkt?: string;
  /**
   * The organisation the token acts for (Gatehouse's `org_id`: an org-wide grant, or a Self Client token for a
   * `soid`); absent when it acts on its owner's own data. `subject` is still who authorised it.
   */
  orgId?: string;
}

/**
 * Resolves a token to what it grants, or undefined when it is not valid (unknown, expired, revoked). Gatehouse
 * provides one reading its own store; `introspectionVerifier` asks a Gatehouse over RFC 7662.
 *
 * A verifier may answer at once, without a promise, when it knows the answer from memory (a token it has just seen);
 * `checkToken` then answers at once as well. A protected call that needs no I/O then skips the promise machinery,
 * which on Gatehouse's own sample API was a quarter of the request's CPU.
 */
export type TokenVerifier = (token: string) => TokenInfo | undefined | PromiseLike<TokenInfo | undefined>;
