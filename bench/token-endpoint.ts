/**
 * Throughput of Gatehouse's hot endpoints against oidc-provider and a bare node:http floor, each server in a process
 * of its own on 127.0.0.1, the load generated from this one. Run with `npm run bench`; `BENCH_DURATION=<seconds>` sets the measured time per case and round,
 * `BENCH_ROUNDS` the number of rounds.
 *
 * Exits non-zero only when something went wrong (a server answered non-2xx, set-up failed), never for a missed
 * target: a benchmark reports, it does not judge.
 */
import { BenchmarkError } from './benchmark-error.js';
import { defineCases, type BenchCase, type CaseId } from './cases.js';
import { isValid, measureCase, measurePair, type CaseResult } from './load.js';
import { BACK_TO_BACK, machineLine, ratiosSection, resultsTable } from './report.js';
import { startInChildProcess } from './servers/child-process.js';
import type { GatehouseFixture } from './servers/gatehouse.js';
import type { OidcProviderFixture } from './servers/oidc-provider.js';
import { BENCH_LOG_LEVEL, readLoadSettings, type LoadSettings } from './settings.js';
import { Teardown } from './teardown.js';

async function main(): Promise<void> {
  const settings = readLoadSettings(process.env);
  console.log(machineLine(settings));
  const teardown = new Teardown();
  try {
    const rounds = await runRounds(settings, teardown);
    console.log(`\n${resultsTable(rounds)}\n\n${ratiosSection(rounds)}`);
    const invalid = rounds.flat().filter((r) => !isValid(r));
    if (invalid.length > 0) {
      throw new BenchmarkError(
        `${invalid.length} case(s) got failed requests while measured (marked INVALID); their numbers mean nothing.`,
      );
    }
  } finally {
    await teardown.runAll();
  }
}

/** Every case once per round; one CaseResult list per round. */
async function runRounds(settings: LoadSettings, teardown: Teardown): Promise<CaseResult[][]> {
  const gatehouse = await startInChildProcess<GatehouseFixture>('gatehouse', [], teardown);
  console.log(
    `Gatehouse: as npm start runs it, request logs at "${BENCH_LOG_LEVEL}" (GATEHOUSE_LOG_LEVEL) to a pipe the bench drains,\n` +
      '           but with Zoho rate limits off (refresh rate per refresh token, access tokens per refresh token),\n' +
      '           since autocannon fires thousands of refreshes with one refresh token. Every token is still persisted (SQLite).',
  );
  const oidc = await startInChildProcess<OidcProviderFixture>('oidc-provider', [], teardown);
  const { baseUrl: bareUrl } = await startInChildProcess<{ baseUrl: string }>('bare-http', [gatehouse.lead.body], teardown);

  const cases = defineCases(gatehouse, oidc, bareUrl);
  const byId = new Map(cases.map((c) => [c.id, c]));
  const paired = new Set(BACK_TO_BACK.flat());
  const rounds: CaseResult[][] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    console.log(`Round ${round} of ${settings.rounds}`);
    const results = new Map<CaseId, CaseResult>();
    for (const [gatehouseCase, baseline] of BACK_TO_BACK) {
      // Which of the two takes the first slice alternates by round.
      const [first, second] = round % 2 === 1 ? [gatehouseCase, baseline] : [baseline, gatehouseCase];
      for (const result of await measureTogether(byId.get(first)!, byId.get(second)!, settings)) results.set(result.id, result);
    }
    for (const benchCase of cases.filter((c) => !paired.has(c.id))) results.set(benchCase.id, await measureAlone(benchCase, settings));
    rounds.push(cases.map(({ id }) => results.get(id)!));
  }
  return rounds;
}

async function measureTogether(first: BenchCase, second: BenchCase, settings: LoadSettings): Promise<CaseResult[]> {
  process.stdout.write(`  measuring ${first.label} and ${second.label}, alternating ...`);
  const results = await measurePair(first, second, settings);
  process.stdout.write(` ${results.map((r) => Math.round(r.requestsPerSecond)).join(' and ')} req/s\n`);
  return results;
}

async function measureAlone(benchCase: BenchCase, settings: LoadSettings): Promise<CaseResult> {
  process.stdout.write(`  measuring ${benchCase.label} ...`);
  const result = await measureCase(benchCase, settings);
  process.stdout.write(` ${Math.round(result.requestsPerSecond)} req/s\n`);
  return result;
}

main().catch((err: unknown) => {
  console.error(err instanceof BenchmarkError ? `\nbench: ${err.message}` : err);
  process.exitCode = 1;
});
