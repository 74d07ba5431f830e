import type { BenchDatabase } from '../databases.js';
import { freshPostgres, freshSqlite } from '../databases.js';
import { startDeployment } from '../deployment.js';
import { seedAccessTokens } from '../seed-tokens.js';
import type { GatehouseFixture } from '../servers/gatehouse.js';
import { withTeardown } from '../teardown.js';
import type { Suite } from './suite.js';
import { compareDeployments } from './versus.js';

const LIVE_TOKENS = 1_000_000;
const TOKEN_LIFETIME_MS = 3_600_000;
/** Issued over the last ten minutes (about 1,700 a second), so all stay live for the suite's few minutes. */
const ISSUED_OVER_MS = 10 * 60_000;

export const millionSuite: Suite = {
  name: 'million',
  about:
    `Gatehouse with ${LIVE_TOKENS.toLocaleString('en-US')} live access tokens ÷ Gatehouse on an empty store, one node each:\n` +
    'on SQLite, then on PostgreSQL (the SQLite servers stopped first)',
  async run(settings) {
    for (const fresh of [freshSqlite, freshPostgres]) {
      await withTeardown(async (teardown) => {
        const full = await startDeployment(await fresh(teardown), teardown);
        const empty = await startDeployment(await fresh(teardown), teardown);
        await seedLiveTokens(full.database, full.fixture);
        await compareDeployments(
          { name: `Gatehouse on ${full.database.kind}, 1M live tokens`, fixture: full.fixture },
          { name: `Gatehouse on ${empty.database.kind}, empty`, fixture: empty.fixture },
          { 'client-credentials': 0.9, 'crm-record': 0.9 },
          settings,
        );
      });
    }
  },
};

/** Real rows of the fixture's user and Self Client. */
async function seedLiveTokens(database: BenchDatabase, fixture: GatehouseFixture): Promise<void> {
  process.stdout.write(`Seeding ${LIVE_TOKENS.toLocaleString('en-US')} live access tokens on ${database.kind} (one statement) ...`);
  const owner = { userZuid: fixture.ownerZuid, clientId: fixture.selfClient.clientId };
  const now = Date.now();
  const ms = await seedAccessTokens(database, owner, LIVE_TOKENS, [now - ISSUED_OVER_MS, now], TOKEN_LIFETIME_MS);
  process.stdout.write(` ${(ms / 1000).toFixed(1)} s\n`);
}
