/** A signed-in browser. `id` is the keyed hash of the cookie value. */
export interface Session {
  id: string;
  userZuid: string;
  /** How the user signed in (RFC 8176 `amr` values, space separated): `pwd`, or `pwd otp mfa` with a second factor. */
  amr: string;
  createdAt: number;
  expiresAt: number;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findLive(id: string, now: number): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every session of a user (signed out everywhere). Returns how many ended. */
  deleteForUser(userZuid: string): Promise<number>;
  deleteExpired(before: number): Promise<number>;
}
