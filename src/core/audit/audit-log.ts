import { BoundedMap } from '../bounded-map.js';
import type { Client } from '../clients/client.js';
import type { User } from '../users/user.js';

/** Every kind of security event the audit log keeps. Token issues are not among them: metrics count those. */
export const AUDIT_EVENT_TYPES = [
  'user.signin.succeeded',
  'user.signin.failed',
  'user.signin.throttled',
  'user.signin.mfa.succeeded',
  'user.signin.mfa.failed',
  'user.signin.mfa.throttled',
  'user.signout',
  'user.signin.passkey.succeeded',
  'user.signin.passkey.failed',
  'user.signin.passkey.throttled',
  'user.password.changed',
  'user.password.reset',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.role.changed',
  'user.mfa.reset',
  'user.mfa.removed',
  'user.passkey.added',
  'user.passkey.removed',
  'consent.granted',
  'grant.scopes.enhanced',
  'grant.revoked',
  'token.revoked',
  'client.created',
  'client.updated',
  'client.deleted',
  'client.secret.rotated',
  'client.assertion.refused',
  'client.registered',
  'client.registration.updated',
  'client.registration.deleted',
  'selfclient.code.generated',
  'grant.seeded',
  'apitoken.created',
  'apitoken.revoked',
  'registration.token.created',
  'registration.token.revoked',
  'signingkey.rotated',
  'logout.backchannel.sent',
  'org.created',
  'org.member.added',
  'org.member.role.changed',
  'org.grant.approved',
  'org.grant.revoked',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Who did it: a signed-in user (`id` their ZUID, `name` their email), an administrator's API token (`id` the owner's
 * ZUID, `name` the token's name, never its value), the command line, a client (`id` its client ID), or nobody known
 * (a failed sign-in, an unauthenticated revocation).
 */
export interface AuditActor {
  kind: 'user' | 'api_token' | 'cli' | 'client' | 'anonymous';
  id: string | null;
  name: string | null;
}

export const actors = {
  user: (user: User): AuditActor => ({ kind: 'user', id: user.zuid, name: user.email }),
  apiToken: (owner: User, tokenName: string): AuditActor => ({ kind: 'api_token', id: owner.zuid, name: tokenName }),
  cli: { kind: 'cli', id: null, name: null } as AuditActor,
  client: (clientId: string): AuditActor => ({ kind: 'client', id: clientId, name: null }),
  anonymous: { kind: 'anonymous', id: null, name: null } as AuditActor,
} as const;

/** Who acts and from where: what every audited operation is told by its front door (HTTP, CLI). */
export interface AuditContext {
  actor: AuditActor;
  /** The client address as the server computes it (trust-proxy aware); null from the command line. */
  address: string | null;
}

export const CLI_CONTEXT: AuditContext = { actor: actors.cli, address: null };

/** A signed-in user acting from `address`: the console, the account pages, the consent page. */
export function byUser(user: User, address: string): AuditContext {
  return { actor: actors.user(user), address };
}

/**
 * One security event. Nothing in it is a secret: no password, code, token or client secret value is ever passed here,
 * only identifiers (ZUIDs, client IDs, token names, key IDs).
 */
export interface AuditEvent {
  at: number;
  type: AuditEventType;
  actor: AuditActor;
  /** The user the event is about (signed in, created, disabled, whose grant…); null when none or unknown. */
  userZuid: string | null;
  clientId: string | null;
  /** What else names the subject: the email typed at a sign-in, an API token's name, a signing key's ID, scopes. */
  subject: string | null;
  address: string | null;
  outcome: 'success' | 'failure';
  /** Why, for a failure (`wrong_password`, `unknown_account`, `disabled`); null otherwise. */
  detail: string | null;
}

/** An event as stored: `id` orders events (newest highest) and is what the cursor carries. */
export interface StoredAuditEvent extends AuditEvent {
  id: number;
}

export interface AuditQuery {
  type?: AuditEventType;
  /** Events about this user or done by them. */
  userZuid?: string;
  clientId?: string;
  /** At or after, epoch milliseconds. */
  since?: number;
  /** Before, epoch milliseconds. */
  until?: number;
  /** Only events older than the one with this ID (the cursor of the previous page). */
  beforeId?: number;
  limit: number;
}

export interface AuditEventRepository {
  append(event: AuditEvent): Promise<void>;
  /** Matching events, newest first, at most `limit`. */
  list(query: AuditQuery): Promise<StoredAuditEvent[]>;
  /** Deletes events older than `before` (retention). Returns how many went. */
  deleteOlderThan(before: number): Promise<number>;
}

/** What an operation says about its event; the log adds when, who and from where. */
export interface AuditEntry {
  type: AuditEventType;
  userZuid?: string | null;
  clientId?: string | null;
  subject?: string | null;
  outcome?: 'success' | 'failure';
  detail?: string | null;
}

/** A change to a client: whose client, which, and its name at the time (the client may be gone later). */
export function aboutClient(
  type: 'client.created' | 'client.updated' | 'client.deleted' | 'client.secret.rotated',
  client: Pick<Client, 'ownerZuid' | 'clientId' | 'name'>,
): AuditEntry {
  return { type, userZuid: client.ownerZuid, clientId: client.clientId, subject: client.name };
}

/** A Self Client code generated: its scope, never the code, which is a credential until redeemed. */
export function aboutSelfClientCode(client: Pick<Client, 'ownerZuid' | 'clientId'>, scope: string): AuditEntry {
  return { type: 'selfclient.code.generated', userZuid: client.ownerZuid, clientId: client.clientId, subject: scope };
}

/** An account created, by an administrator or the command line. */
export function aboutNewUser(user: Pick<User, 'zuid' | 'email'>): AuditEntry {
  return { type: 'user.created', userZuid: user.zuid, subject: user.email };
}

/**
 * Appends events. Two ways, by what a lost event would cost:
 * - `appendIn(tx.auditEvents, …)` inside the action's own transaction: the change and its event land together or not at
 *   all. Used wherever the action already has a transaction (disabling a user, revoking a grant).
 * - `record(…)` after the action, best-effort: a store that fails the insert is logged (`onAppendFailed`) and the
 *   action still answers as it succeeded, since it did. Used for sign-ins and single-statement actions.
 */
export class AuditLog {
  /** Until when each refusal key's refusals go unrecorded (`recordRefusal`). */
  private readonly refusalsQuietUntil = new BoundedMap<string, number>(REFUSAL_KEYS_KEPT);

  constructor(
    private readonly events: AuditEventRepository,
    private readonly now: () => number,
    private readonly onAppendFailed: (err: unknown, event: AuditEvent) => void,
  ) {}

  private event(by: AuditContext, entry: AuditEntry): AuditEvent {
    return {
      at: this.now(),
      type: entry.type,
      actor: by.actor,
      userZuid: entry.userZuid ?? null,
      clientId: entry.clientId ?? null,
      subject: entry.subject ?? null,
      address: by.address,
      outcome: entry.outcome ?? 'success',
      detail: entry.detail ?? null,
    };
  }

  appendIn(events: AuditEventRepository, by: AuditContext, entry: AuditEntry): Promise<void> {
    return events.append(this.event(by, entry));
  }

  async record(by: AuditContext, entry: AuditEntry): Promise<void> {
    const event = this.event(by, entry);
    try {
      await this.events.append(event);
    } catch (err) {
      this.onAppendFailed(err, event);
    }
  }

  /**
   * A request refused by a limit, recorded best-effort once per `key` until the refusal ends (`retryAfterSeconds`):
   * past a limit, an attack sends as fast as it likes, and one row per refused request would let it grow the table
   * without bound and turn each cheap refusal into a write. Metrics still count every refusal. Kept per node, so
   * several nodes record one each.
   */
  async recordRefusal(by: AuditContext, entry: AuditEntry, key: string, retryAfterSeconds: number): Promise<void> {
    const now = this.now();
    if ((this.refusalsQuietUntil.get(key) ?? 0) > now) return;
    this.refusalsQuietUntil.set(key, now + retryAfterSeconds * 1000);
    await this.record(by, entry);
  }
}

/** Refusal keys remembered at once; past it the oldest is forgotten, and its next refusal is recorded again. */
const REFUSAL_KEYS_KEPT = 10_000;

/** Without a logger to hand (library use, tests): one JSON line on stderr, like the server's log lines. */
export function logAppendFailureToStderr(err: unknown, event: AuditEvent): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${JSON.stringify({ level: 50, msg: 'audit event not stored', type: event.type, err: message })}\n`);
}
