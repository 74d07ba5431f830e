import { CLI_CONTEXT, type AuditContext } from '../core/audit/audit-log.js';
import type { Client } from '../core/clients/client.js';
import { ManagementError } from '../core/errors/management-error.js';
import type { EndedSessions } from '../core/logout/back-channel-logout.js';
import type { Transaction } from '../core/store.js';
import type { Gatehouse } from '../gatehouse.js';
import type { RecordRepository } from '../resources/record-repository.js';
import type { SeedProblem } from './json-shape.js';
import type { SeedKind } from './seed-file.js';

export type SeedOutcome = 'created' | 'updated' | 'unchanged';

/** What applying one entry does: its outcome, and the writes that make it so (none when unchanged). */
export interface PlannedEntry {
  kind: SeedKind;
  outcome: SeedOutcome;
  /**
   * Run inside the one transaction that applies the whole file (everything but records). Returns the sessions it ended
   * (a user's password, role or disabled flag changed), which back-channel clients are told of after the commit.
   */
  write?: (tx: Transaction) => Promise<readonly EndedSessions[] | void>;
  /** Records live outside the core's transactions: written after it commits. */
  writeRecord?: (records: RecordRepository) => Promise<void>;
}

/** Who the seed's audit events name as the actor: the command line, whether `gatehouse seed` or `serve` applied it. */
export const SEED_ACTOR: AuditContext = CLI_CONTEXT;

/**
 * What the planners share while they read the file against the database: the problems found so far, and the users and
 * clients the file declares, so an entry may refer to one declared above it or to one the database holds.
 */
export class SeedPlan {
  readonly problems: SeedProblem[] = [];
  readonly entries: PlannedEntry[] = [];
  private readonly zuids = new Map<string, string>();
  private readonly clients = new Map<string, Client>();
  /** Users and clients the file declares in entries that have problems: those are reported there, not again. */
  private readonly invalid = new Set<string>();

  constructor(
    readonly gatehouse: Gatehouse,
    readonly records: RecordRepository,
  ) {}

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Reports each of a core check's problems (`ManagementError`s naming their field) at `path`.field. */
  problemsFrom(path: string, errors: readonly ManagementError[]): void {
    for (const e of errors) this.problem(e.field ? `${path}.${e.field}` : path, e.message);
  }

  add(entry: PlannedEntry): void {
    this.entries.push(entry);
  }

  declareUser(email: string, zuid: string): void {
    this.zuids.set(email.toLowerCase(), zuid);
  }

  declareClient(client: Client): void {
    this.clients.set(client.clientId, client);
  }

  /** An entry declaring this email or client ID has problems: what refers to it is not reported again. */
  declareInvalid(key: string): void {
    this.invalid.add(key.trim().toLowerCase());
  }

  /** The ZUID of the user with this email, declared in the file or in the database; a problem at `path` when neither. */
  async userZuid(email: string, path: string): Promise<string | undefined> {
    const key = email.trim().toLowerCase();
    let zuid = this.zuids.get(key);
    if (zuid === undefined) {
      zuid = (await this.gatehouse.storage.users.findByEmail(key))?.zuid;
      if (zuid !== undefined) this.zuids.set(key, zuid);
    }
    if (zuid === undefined && !this.invalid.has(key)) this.problem(path, 'no user has this email, in the file or in the database');
    return zuid;
  }

  /** The client with this ID, declared in the file or in the database; a problem at `path` when neither. */
  async client(clientId: string, path: string): Promise<Client | undefined> {
    const client = this.clients.get(clientId) ?? (await this.gatehouse.storage.clients.find(clientId));
    if (!client && !this.invalid.has(clientId.toLowerCase()))
      this.problem(path, 'no client has this client_id, in the file or in the database');
    return client;
  }
}

/**
 * The entries of one kind that read well, each with its index and JSON path, after reporting every entry that repeats
 * an earlier one's key (an email, a client ID) at `field`, naming the entry it repeats.
 */
export function entriesOf<T>(
  kind: SeedKind,
  entries: ReadonlyArray<T | undefined>,
  key: { field?: string; of: (entry: T) => string },
  plan: SeedPlan,
): Array<{ entry: T; i: number; path: string }> {
  const out: Array<{ entry: T; i: number; path: string }> = [];
  const first = new Map<string, number>();
  const keyPath = (i: number) => `$.${kind}[${i}]${key.field ? `.${key.field}` : ''}`;
  entries.forEach((entry, i) => {
    if (entry === undefined) return;
    const k = key.of(entry);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, i);
    else plan.problem(keyPath(i), `repeats ${keyPath(seen)}`);
    out.push({ entry, i, path: `$.${kind}[${i}]` });
  });
  return out;
}
