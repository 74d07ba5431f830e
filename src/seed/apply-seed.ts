import type { EndedSessions } from '../core/logout/back-channel-logout.js';
import type { Gatehouse } from '../gatehouse.js';
import type { RecordRepository } from '../resources/record-repository.js';
import type { SeedProblem } from './json-shape.js';
import { planClients } from './plan-clients.js';
import { planConsents, planRefreshTokens } from './plan-grants.js';
import { planRecords } from './plan-records.js';
import { planUsers } from './plan-users.js';
import { readSeedDocument, SEED_KINDS, type SeedKind } from './seed-file.js';
import { SeedPlan, type SeedOutcome } from './seed-plan.js';

export type SeedCounts = Record<SeedKind, Record<SeedOutcome, number>>;

export interface SeedResult {
  /** False when the database matched the file already and nothing was written. */
  changed: boolean;
  counts: SeedCounts;
}

/** The file has problems (each with its JSON path); nothing was written. */
export class SeedInvalidError extends Error {
  override name = 'SeedInvalidError';
  constructor(readonly problems: readonly SeedProblem[]) {
    super(`the seed file has ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
  }
}

/**
 * Brings the database to what a seed document declares, idempotently: each entry is created, updated, or left as it
 * is, and a second run with the same document writes nothing.
 *
 * The whole document is checked first, against itself and the database (references included); any problem and
 * nothing is written. Then everything but the records is written in one transaction, with its audit events: all of it
 * lands or none. Records live outside the core's transactions and are written after it commits, one statement each;
 * the only failure left for them then is the store's (an ID another owner's or module's record holds, the database
 * going away), which leaves the users, clients and grants applied and some records not: running the file again
 * finishes the job, since what is there already counts as unchanged.
 */
export async function applySeed(document: unknown, gatehouse: Gatehouse, records: RecordRepository): Promise<SeedResult> {
  const { document: seed, problems, invalidKeys } = readSeedDocument(document);
  const plan = new SeedPlan(gatehouse, records);
  invalidKeys.forEach((key) => plan.declareInvalid(key));
  await planUsers(seed.users, plan);
  await planClients(seed.clients, plan);
  await planRefreshTokens(seed.refresh_tokens, plan);
  await planConsents(seed.consents, plan);
  await planRecords(seed.records, plan);
  if (problems.length + plan.problems.length > 0) throw new SeedInvalidError(inDocumentOrder([...problems, ...plan.problems]));

  const writes = plan.entries.flatMap((e) => (e.write ? [e.write] : []));
  if (writes.length > 0) {
    const ended = await gatehouse.storage.transaction(async (tx) => {
      const notices: EndedSessions[] = [];
      for (const write of writes) notices.push(...((await write(tx)) ?? []));
      return notices;
    });
    // As an administrator's change would: only once it has committed, so a file that fails tells nobody.
    for (const notice of ended) gatehouse.backChannelLogout.sessionsEnded(notice);
  }
  for (const entry of plan.entries) await entry.writeRecord?.(records);
  return summarise(plan);
}

/** Problems by kind and entry, as the file lists them (shape problems are found in a first pass, the others after). */
function inDocumentOrder(problems: SeedProblem[]): SeedProblem[] {
  const rank = (path: string) => {
    const match = /^\$\.(\w+)\[(\d+)\]/.exec(path);
    return match ? (SEED_KINDS.indexOf(match[1] as SeedKind) + 1) * 1e6 + Number(match[2]) : 0;
  };
  return problems.sort((a, b) => rank(a.path) - rank(b.path));
}

function summarise(plan: SeedPlan): SeedResult {
  const counts = Object.fromEntries(SEED_KINDS.map((k) => [k, { created: 0, updated: 0, unchanged: 0 }])) as SeedCounts;
  for (const entry of plan.entries) counts[entry.kind][entry.outcome]++;
  return { changed: plan.entries.some((e) => e.outcome !== 'unchanged'), counts };
}
