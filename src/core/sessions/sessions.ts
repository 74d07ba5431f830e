import { randomBytes } from 'node:crypto';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { User } from '../users/user.js';
import type { Session, SessionRepository } from './session-repository.js';
import type { UserRepository } from '../users/user-repository.js';

/** A browser stays signed in for twelve hours; then it signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60_000;

export interface SessionDeps {
  sessions: SessionRepository;
  users: UserRepository;
  hasher: CredentialHasher;
  now: () => number;
}

/** RFC 8176 `amr` values, space separated: how a session signed in. */
export const SIGNED_IN_WITH_PASSWORD = 'pwd';

/** A signed-in user, how they signed in, when, and the session's public ID (`sid`). */
export interface SignIn {
  user: User;
  amr: string;
  /**
   * When the user signed in (ms since the epoch): the session's start, since every sign-in step (the password, the
   * second factor) begins a new session. OpenID Connect's `auth_time` and `max_age` are about this.
   */
  authTime: number;
  sid: string;
}

/**
 * Gives a browser a new session for `userZuid`, ending the one its cookie named (after sign-in and after any change
 * to what the session may do: no session fixation). Returns the new cookie value, of which only the keyed hash is
 * stored. Renewing the same user's session keeps its `sid`, which relying parties hold in id_tokens; that is a renewal,
 * not a logout, so nobody is told.
 */
export async function renewSession(oldValue: string | undefined, userZuid: string, amr: string, deps: SessionDeps): Promise<string> {
  const old = await liveSession(oldValue, deps);
  if (old) await deps.sessions.delete(old.id);
  const value = randomBytes(32).toString('base64url');
  const sid = old?.userZuid === userZuid ? old.sid : randomBytes(16).toString('hex');
  const now = deps.now();
  await deps.sessions.create({ id: deps.hasher.hash(value), userZuid, amr, sid, createdAt: now, expiresAt: now + SESSION_TTL_MS });
  return value;
}

/** The sign-in a session cookie names, or undefined. A disabled user's (begun in a race with the disable) is no session. */
export async function sessionSignIn(value: string | undefined, deps: SessionDeps): Promise<SignIn | undefined> {
  const session = await liveSession(value, deps);
  const user = session && (await deps.users.findByZuid(session.userZuid));
  return user && !user.disabled ? { user, amr: session.amr, authTime: session.createdAt, sid: session.sid } : undefined;
}

/** The live session a cookie value names, or undefined. */
export async function liveSession(value: string | undefined, deps: SessionDeps): Promise<Session | undefined> {
  if (value === undefined || value.length > 100) return undefined;
  return deps.sessions.findLive(deps.hasher.hash(value), deps.now());
}
