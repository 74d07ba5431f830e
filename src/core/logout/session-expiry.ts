import { CLI_CONTEXT, type AuditLog } from '../audit/audit-log.js';
import type { EndedSession, SessionRepository } from '../sessions/session-repository.js';
import type { SessionEndListener } from './back-channel-logout.js';

export interface SessionExpiryDeps {
  sessions: SessionRepository;
  audit: AuditLog;
  logout: SessionEndListener;
}

/**
 * The sweep of `gatehouse serve` acts on its own: recorded as the command line, as `serve`'s other acts are (the
 * first admin it creates). The user whose session it was is the event's `userZuid`.
 */
const BY_THE_SWEEP = CLI_CONTEXT;

/**
 * Ends the sessions that expired before `now` as a sign-out ends one: each is audited as `user.signout` with `detail`
 * `expired`, and the clients are told over the back channel (Back-Channel Logout §2.7: the OP tells them whenever its
 * session ends, expiry included). The delete reports each session to one caller only, so of several nodes sweeping at
 * once exactly one tells. A request with an expired cookie finds no session (`findLive`) and ends nothing, which
 * leaves the telling to this sweep alone. Returns how many sessions ended.
 */
export async function endExpiredSessions(now: number, deps: SessionExpiryDeps): Promise<number> {
  const ended = await deps.sessions.deleteExpired(now);
  for (const { userZuid } of ended) await deps.audit.record(BY_THE_SWEEP, { type: 'user.signout', userZuid, detail: 'expired' });
  for (const [userZuid, sids] of sidsByUser(ended)) deps.logout.sessionsEnded({ userZuid, sids, everySession: false, by: BY_THE_SWEEP });
  return ended.length;
}

/** One entry per user: their sessions that ended, each by its `sid`. */
function sidsByUser(ended: readonly EndedSession[]): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const { userZuid, sid } of ended) {
    const sids = byUser.get(userZuid);
    if (sids) sids.push(sid);
    else byUser.set(userZuid, [sid]);
  }
  return byUser;
}
