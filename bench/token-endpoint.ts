/**
 * Throughput and latency of Gatehouse's hot endpoints, each server in a process of its own on 127.0.0.1, the load
 * generated from this one. `npm run bench` measures the defaults suite (Gatehouse against oidc-provider and a bare
 * node:http floor); `npm run bench -- --only postgres,nodes,million,purge` (or `BENCH_CASES=…`, or `all`) the
 * production configurations. `BENCH_DURATION=<seconds>` sets the measured time per case and round, `BENCH_ROUNDS` the
 * number of rounds.
 *
 * Exits non-zero only when something went wrong (a server answered non-2xx, set-up failed), never for a missed
 * target: a benchmark reports, it does not judge.
 */
import { BenchmarkError } from './benchmark-error.js';
import { machineLine } from './report.js';
import { BENCH_LOG_LEVEL, readLoadSettings, readSuiteNames } from './settings.js';
import { defaultsSuite } from './suites/defaults.js';
import { millionSuite } from './suites/million.js';
import { nodesSuite } from './suites/nodes.js';
import { postgresSuite } from './suites/postgres.js';
import { purgeSuite } from './suites/purge.js';
import type { Suite } from './suites/suite.js';
import { withTeardown } from './teardown.js';

const SUITES: readonly Suite[] = [defaultsSuite, postgresSuite, nodesSuite, millionSuite, purgeSuite];

async function main(): Promise<void> {
  const settings = readLoadSettings(process.env);
  const names = readSuiteNames(
    process.argv.slice(2),
    process.env,
    SUITES.map((suite) => suite.name),
  );
  console.log(machineLine(settings));
  console.log(
    `Gatehouse: as npm start runs it, request logs at "${BENCH_LOG_LEVEL}" (GATEHOUSE_LOG_LEVEL) to a pipe the bench drains, every\n` +
      '           limit at its default but the refreshes per refresh token (autocannon refreshes thousands of times with one).',
  );
  for (const suite of SUITES.filter((s) => names.includes(s.name))) {
    console.log(`\n== ${suite.name}: ${suite.about}`);
    await withTeardown((teardown) => suite.run(settings, teardown));
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof BenchmarkError ? `\nbench: ${err.message}` : err);
  process.exitCode = 1;
});
