/**
 * A credential for the management API from scripts, without a browser session: it acts as its owner, an
 * administrator. Stored only as a keyed hash, like every token.
 */
export interface ApiToken {
  /** Keyed hash of the token. */
  id: string;
  userZuid: string;
  /** Unique per user; how the token is listed and revoked. */
  name: string;
  createdAt: number;
}

export interface ApiTokenRepository {
  /** Throws DuplicateError('name') when the user has a token of this name already. */
  create(token: ApiToken): Promise<void>;
  find(id: string): Promise<ApiToken | undefined>;
  listForUser(userZuid: string): Promise<ApiToken[]>;
  /** False when the user has no token of this name. */
  delete(userZuid: string, name: string): Promise<boolean>;
  /** Deletes every token of the user. Returns how many went. */
  deleteForUser(userZuid: string): Promise<number>;
}
