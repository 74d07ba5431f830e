import { actors, byUser, type AuditContext, type AuditLog } from '../audit/audit-log.js';
import { liveSession, type SessionDeps } from '../sessions/sessions.js';
import type { SessionEndListener } from './back-channel-logout.js';

export interface SignOutDeps extends SessionDeps {
  audit: AuditLog;
  logout: SessionEndListener;
}

/**
 * Ends the session a cookie names (the Sign out button, RP-initiated logout): the audit event `user.signout` (with the
 * client that asked, for RP-initiated logout), and the clients are told over the back channel. No live session: nothing.
 */
export async function signOut(
  value: string | undefined,
  address: string,
  deps: SignOutDeps,
  clientId: string | null = null,
): Promise<void> {
  const session = await liveSession(value, deps);
  if (!session) return;
  await deps.sessions.delete(session.id);
  const user = await deps.users.findByZuid(session.userZuid);
  const by: AuditContext = user ? byUser(user, address) : { actor: actors.anonymous, address };
  await deps.audit.record(by, { type: 'user.signout', userZuid: session.userZuid, clientId, detail: clientId ? 'rp_initiated' : null });
  deps.logout.sessionsEnded({ userZuid: session.userZuid, sids: [session.sid], everySession: false, by });
}
