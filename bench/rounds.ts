import { BenchmarkError } from './benchmark-error.js';
import type { BenchCase, Ratio } from './cases.js';
import { isValid, measureCase, measurePair, type CaseResult } from './load.js';
import { latencySection, ratiosSection, resultsTable } from './report.js';
import type { LoadSettings } from './settings.js';

/** The cases a suite measures and the ratios it reports. */
export interface Comparison {
  /** In the order the results table lists them. */
  cases: BenchCase[];
  ratios: Ratio[];
  /** Cases whose p99 is held against a goal, in milliseconds. */
  latencyTarget?: { ms: number; cases: BenchCase[] };
}

/**
 * Every case once per round, `settings.rounds` rounds: the two cases of a ratio measured together in alternating
 * slices (which starts alternates by round), every other case alone. Prints the results, the ratios and the latency
 * goal; throws when any measurement saw a failed request, since its numbers then mean nothing.
 */
export async function compareInRounds(comparison: Comparison, settings: LoadSettings): Promise<void> {
  const rounds = await runRounds(comparison, settings);
  const sections = [resultsTable(rounds), ratiosSection(rounds, comparison.ratios)];
  const { latencyTarget } = comparison;
  if (latencyTarget) sections.push(latencySection(rounds, latencyTarget.cases, latencyTarget.ms));
  console.log(`\n${sections.join('\n\n')}\n`);
  const invalid = rounds.flat().filter((r) => !isValid(r));
  if (invalid.length > 0) {
    throw new BenchmarkError(`${invalid.length} case(s) got failed requests while measured (marked INVALID); their numbers mean nothing.`);
  }
}

async function runRounds({ cases, ratios }: Comparison, settings: LoadSettings): Promise<CaseResult[][]> {
  const pairs = ratios.filter((ratio) => ratio.together);
  const paired = new Set(pairs.flatMap((ratio) => [ratio.numerator.id, ratio.denominator.id]));
  const rounds: CaseResult[][] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    console.log(`Round ${round} of ${settings.rounds}`);
    const results = new Map<string, CaseResult>();
    for (const { numerator, denominator } of pairs) {
      const [first, second] = round % 2 === 1 ? [numerator, denominator] : [denominator, numerator];
      for (const result of await measureTogether(first, second, settings)) results.set(result.id, result);
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
