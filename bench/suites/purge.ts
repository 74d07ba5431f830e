import { gatehouseCase, type BenchCase } from '../cases.js';
import { freshPostgres, freshSqlite } from '../databases.js';
import { BenchmarkError } from '../benchmark-error.js';
import { startDeployment, type Deployment } from '../deployment.js';
import { isValid, measureWindow, type CaseResult } from '../load.js';
import { middle } from '../median.js';
import { formatLatency, formatNumber } from '../report.js';
import { seedAccessTokens } from '../seed-tokens.js';
import type { PurgeAnswer } from '../servers/messages.js';
import type { LoadSettings } from '../settings.js';
import { withTeardown } from '../teardown.js';
import { KEEP_EXPIRED_MS, PURGE_EVERY_MS } from '../../src/core/purge.js';
import type { Suite } from './suite.js';

/** One sweep's worth (ten minutes of expiries) at a sustained 400 tokens a second. */
const EXPIRED_TOKENS = 250_000;
const HOUR_MS = 3_600_000;

export const purgeSuite: Suite = {
  name: 'purge',
  about:
    `The scheduled purge of ${EXPIRED_TOKENS.toLocaleString('en-US')} expired access tokens, run in the server's process as \`gatehouse serve\` runs it,\n` +
    'on SQLite, then on PostgreSQL: its time, and client_credentials req/s in a window that starts with it ÷ a window without',
  async run(settings) {
    for (const fresh of [freshSqlite, freshPostgres]) {
      await withTeardown(async (teardown) => {
        const deployment = await startDeployment(await fresh(teardown), teardown);
        const tokens = gatehouseCase('client-credentials', `Gatehouse on ${deployment.database.kind}`, deployment.fixture);
        await measureWindow(tokens, settings, settings.warmupSeconds);
        const rounds: PurgeRound[] = [];
        for (let round = 1; round <= settings.rounds; round++) rounds.push(await purgeRound(deployment, tokens, settings, round));
        console.log(`\n${purgeReport(deployment.database.kind, rounds)}\n`);
        if (rounds.some((r) => !isValid(r.during) || !isValid(r.without))) {
          throw new BenchmarkError('client_credentials got failed requests while measured; the purge figures mean nothing.');
        }
      });
    }
  },
};

interface PurgeRound {
  seedMs: number;
  purge: PurgeAnswer;
  during: CaseResult;
  without: CaseResult;
}

/** Seeds the expired rows (not measured), then a window with the purge and one without, which first alternating. */
async function purgeRound(deployment: Deployment, tokens: BenchCase, settings: LoadSettings, round: number): Promise<PurgeRound> {
  const { database, fixture } = deployment;
  // Issued over ten minutes that ended two hours before the keep time: one hour-long lifetime and then some ago.
  const issuedUntil = Date.now() - KEEP_EXPIRED_MS - 2 * HOUR_MS;
  const owner = { userZuid: fixture.ownerZuid, clientId: fixture.selfClient.clientId };
  const seedMs = await seedAccessTokens(database, owner, EXPIRED_TOKENS, [issuedUntil - PURGE_EVERY_MS, issuedUntil], HOUR_MS);
  const withPurge = () =>
    Promise.all([measureWindow(tokens, settings, settings.durationSeconds), deployment.purgeExpired(Date.now() - KEEP_EXPIRED_MS)]);
  const withoutPurge = () => measureWindow(tokens, settings, settings.durationSeconds);
  process.stdout.write(`  round ${round}: seeded in ${(seedMs / 1000).toFixed(1)} s; measuring with and without a purge ...`);
  let result: PurgeRound;
  if (round % 2 === 1) {
    const [during, purge] = await withPurge();
    result = { seedMs, purge, during, without: await withoutPurge() };
  } else {
    const without = await withoutPurge();
    const [during, purge] = await withPurge();
    result = { seedMs, purge, during, without };
  }
  process.stdout.write(` purge ${Math.round(result.purge.milliseconds)} ms\n`);
  return result;
}

function purgeReport(kind: string, rounds: readonly PurgeRound[]): string {
  const median = (pick: (r: PurgeRound) => number) => middle(rounds.map(pick).sort((a, b) => a - b));
  const purgeMs = median((r) => r.purge.milliseconds);
  const deleted = median((r) => r.purge.deleted);
  const ratio = median((r) => r.during.requestsPerSecond / r.without.requestsPerSecond);
  const window = (pick: (r: PurgeRound) => CaseResult) =>
    `${formatNumber(
      median((r) => pick(r).requestsPerSecond),
      0,
    )} req/s, p99 ${formatLatency(median((r) => pick(r).p99Ms))} ms`;
  return [
    `Purge on ${kind} (medians of ${rounds.length} rounds):`,
    `  seeding ${EXPIRED_TOKENS.toLocaleString('en-US')} expired tokens: ${(median((r) => r.seedMs) / 1000).toFixed(1)} s`,
    `  one purge: ${formatNumber(purgeMs, 0)} ms for ${formatNumber(deleted, 0)} rows (${formatNumber((deleted / purgeMs) * 1000, 0)} rows/s); each round: ${rounds.map((r) => Math.round(r.purge.milliseconds)).join(', ')} ms`,
    `  client_credentials in a window starting with the purge: ${window((r) => r.during)}`,
    `  client_credentials in a window without:                 ${window((r) => r.without)}`,
    `  during ÷ without: ${ratio.toFixed(2)}× (${rounds.map((r) => (r.during.requestsPerSecond / r.without.requestsPerSecond).toFixed(2)).join(', ')})`,
  ].join('\n');
}
