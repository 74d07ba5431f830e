import { randomBytes } from 'node:crypto';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { User } from '../users/user.js';
import type { SessionRepository } from './session-repository.js';
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

/** A signed-in user, how they signed in, and when. */
export interface SignIn {
  user: User;
  amr: string;
  /**
   * When the user signed in (ms since the epoch): the session's start, since every sign-in step (the password, the
   * second factor) begins a new session. OpenID Connect's `auth_time` and `max_age` are about this.
   */
  authTime: number;
}

/** Starts a session; returns the cookie value, of which only the keyed hash is stored. */
export async function startSession(userZuid: string, amr: string, deps: SessionDeps): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  const now = deps.now();
  await deps.sessions.create({ id: deps.hasher.hash(value), userZuid, amr, createdAt: now, expiresAt: now + SESSION_TTL_MS });
  return value;
}

/** The sign-in a session cookie names, or undefined. A disabled user's (begun in a race with the disable) is no session. */
export async function sessionSignIn(value: string | undefined, deps: SessionDeps): Promise<SignIn | undefined> {
  if (value === undefined || value.length > 100) return undefined;
  const session = await deps.sessions.findLive(deps.hasher.hash(value), deps.now());
  const user = session && (await deps.users.findByZuid(session.userZuid));
  return user && !user.disabled ? { user, amr: session.amr, authTime: session.createdAt } : undefined;
}

export async function endSession(value: string | undefined, deps: SessionDeps): Promise<void> {
  if (value !== undefined && value.length <= 100) await deps.sessions.delete(deps.hasher.hash(value));
}
