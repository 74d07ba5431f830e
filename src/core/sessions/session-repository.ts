/** A signed-in browser. `id` is the keyed hash of the cookie value. */
export interface Session {
  id: string;
  userZuid: string;
  /** How the user signed in (RFC 8176 `amr` values, space separated): `pwd`, or `pwd otp mfa` with a second factor. */
  amr: string;
  /**
   * The session's public ID, the id_token's and logout token's `sid` (Back-Channel Logout §2.1): random, never the
   * cookie or its hash, and kept when the session is renewed for the same user, so relying parties can match it later.
   */
  sid: string;
  createdAt: number;
  expiresAt: number;
}

/** Which session ended, by whose and its public ID: what relying parties are told. */
export type EndedSession = Pick<Session, 'userZuid' | 'sid'>;

export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findLive(id: string, now: number): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every session of a user (signed out everywhere). Returns the `sid` of each that ended. */
  deleteForUser(userZuid: string): Promise<string[]>;
  /**
   * Deletes the sessions that expired before `before` and returns each one's user and `sid`, in one statement: when
   * several nodes purge at once, the delete decides, so each session is returned to exactly one caller.
   */
  deleteExpired(before: number): Promise<EndedSession[]>;
}
