import type { AuditContext, AuditLog } from '../audit/audit-log.js';
import type { Client } from '../clients/client.js';
import type { DataCenters } from '../datacenters/data-centers.js';
import type { SigningKeys } from '../oidc/signing-keys.js';
import type { StoreOf } from '../store.js';
import { deliverLogoutToken } from './deliver-logout-token.js';
import { issueLogoutToken } from './logout-token.js';

/** Sessions Gatehouse ended, and who ended them. */
export interface EndedSessions {
  userZuid: string;
  /** The `sid` of each session that ended. */
  sids: readonly string[];
  /**
   * Every session of the user ended (an administrator's action, a password change), not one browser's. Then clients
   * that do not require `sid` get one token without it, which §2.4 defines as "all of this user's sessions".
   */
  everySession: boolean;
  /** Tell the clients even when no session was live: disabling a user ends their relying-party sessions too. */
  evenWithoutSessions?: boolean;
  by: AuditContext;
}

/** What the places that end sessions tell (sign-out, logout, the administrator's and the user's account changes). */
export interface SessionEndListener {
  sessionsEnded(ended: EndedSessions): void;
}

/** A delivery that failed, for the server log: never the token. No client when finding the clients failed. */
export interface DeliveryFailure {
  clientId?: string;
  uri?: string;
  reason: string;
}

export interface BackChannelDeps {
  storage: StoreOf<'clients' | 'consents' | 'users'>;
  signingKeys: SigningKeys;
  config: { dataCenters: DataCenters };
  now: () => number;
  audit: AuditLog;
}

/** §2.5 asks for a reasonable wait; a client slower than this is reported as failed. */
const DELIVERY_TIMEOUT_MS = 5000;

/**
 * OpenID Connect Back-Channel Logout 1.0, the OP's side. When sessions end, every client the user has a live grant to
 * (a consent not revoked) that registered a `backchannel_logout_uri` is sent a logout token. Who gets told is the
 * user's consents rather than the clients used in that one session: Gatehouse does not record which clients a session
 * signed in to, and a client that never saw the `sid` ignores it (§2.6 logs out the session it names).
 *
 * Deliveries run after the answer, never on the request's path: `sessionsEnded` returns at once. Each outcome is an
 * audit event (`logout.backchannel.sent`, success or failure) and each failure a log line, so none is lost silently.
 * Nothing is retried: a logout token is only good for minutes.
 */
export class BackChannelLogout implements SessionEndListener {
  private readonly running = new Set<Promise<void>>();
  private report: (failure: DeliveryFailure) => void = logFailureToStderr;

  constructor(private readonly deps: BackChannelDeps) {}

  /** Where failed deliveries are logged (`serve`: its pino logger); stderr until then. */
  reportFailuresTo(report: (failure: DeliveryFailure) => void): void {
    this.report = report;
  }

  sessionsEnded(ended: EndedSessions): void {
    if (ended.sids.length === 0 && !ended.evenWithoutSessions) return;
    const run = this.deliverAll(ended).catch((err: unknown) => this.report({ reason: err instanceof Error ? err.message : String(err) }));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Resolves once every delivery begun so far has ended (each within the timeout): before the store closes. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private async deliverAll(ended: EndedSessions): Promise<void> {
    const consents = await this.deps.storage.consents.listForUser(ended.userZuid);
    const clients = await Promise.all(consents.map((c) => this.deps.storage.clients.find(c.clientId)));
    const told = clients.filter((client): client is Client => !!client?.backchannelLogoutUri);
    if (told.length === 0) return;
    const issuer = await this.issuerFor(ended.userZuid);
    await Promise.all(told.flatMap((client) => sidsFor(client, ended).map((sid) => this.deliver(client, issuer, ended, sid))));
  }

  /**
   * The user's home DC's accounts server issues the logout token, as it issues the user's id_tokens (spec §9): a client
   * matches the token's `iss` with its id_token's. A user since deleted, or a DC since removed: the primary's.
   */
  private async issuerFor(userZuid: string): Promise<string> {
    const { dataCenters } = this.deps.config;
    const user = await this.deps.storage.users.findByZuid(userZuid);
    return (dataCenters.of(user?.dc ?? null) ?? dataCenters.primary).issuer;
  }

  private async deliver(client: Client, issuer: string, ended: EndedSessions, sid: string | null): Promise<void> {
    const { deps } = this;
    const uri = client.backchannelLogoutUri!;
    const token = await issueLogoutToken(
      { clientId: client.clientId, sub: ended.userZuid, sid, alg: client.idTokenSignedResponseAlg },
      { keys: deps.signingKeys, issuer, now: deps.now },
    );
    const outcome = await deliverLogoutToken(uri, token, DELIVERY_TIMEOUT_MS);
    if (!outcome.ok) this.report({ clientId: client.clientId, uri, reason: outcome.reason });
    await deps.audit.record(ended.by, {
      type: 'logout.backchannel.sent',
      userZuid: ended.userZuid,
      clientId: client.clientId,
      subject: uri,
      outcome: outcome.ok ? 'success' : 'failure',
      detail: outcome.ok ? null : outcome.reason,
    });
  }
}

/** One token per ended session, each with its `sid`; or, for every session of the user, one without (§2.4). */
function sidsFor(client: Client, ended: EndedSessions): Array<string | null> {
  if (ended.everySession && !client.backchannelLogoutSessionRequired) return [null];
  return [...ended.sids];
}

function logFailureToStderr(failure: DeliveryFailure): void {
  process.stderr.write(`${JSON.stringify({ level: 40, msg: 'back-channel logout failed', ...failure })}\n`);
}
