import autocannon from 'autocannon';
import { BenchmarkError } from './benchmark-error.js';
import type { BenchCase, CaseId } from './cases.js';
import { sendExpectingSuccess } from './http-request.js';
import { middle } from './median.js';
import type { LoadSettings } from './settings.js';

export interface CaseResult {
  id: CaseId;
  label: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Connection errors and timeouts: requests that got no answer at all. */
  errors: number;
}

/**
 * Checks a case by hand, warms it up, then measures it. A warm-up that sees any failure aborts the run: the load
 * would only measure how fast the server says no.
 */
export async function measureCase(benchCase: BenchCase, settings: LoadSettings): Promise<CaseResult> {
  await checkAndWarm(benchCase, settings);
  return caseResult(benchCase, [await fire(benchCase, settings.connections, settings.durationSeconds)]);
}

/**
 * Measures a case and its baseline in alternating one-second slices, `durationSeconds` of each, in Thue-Morse order
 * (A B B A B A A B …), rather than one after the other. This machine's speed drifts by tens of percent from one
 * second to the next; two cases measured a few seconds apart compared two different machines, so a ratio swung by
 * ±30% between rounds. Interleaved, both see the same drift, and that order cancels a steady drift too.
 */
export async function measurePair(first: BenchCase, second: BenchCase, settings: LoadSettings): Promise<[CaseResult, CaseResult]> {
  await checkAndWarm(first, settings);
  await checkAndWarm(second, settings);
  const slices: [autocannon.Result[], autocannon.Result[]] = [[], []];
  for (let i = 0; slices[0].length < settings.durationSeconds || slices[1].length < settings.durationSeconds; i++) {
    const which = thueMorse(i);
    if (slices[which].length === settings.durationSeconds) continue;
    slices[which].push(await fire(which === 0 ? first : second, settings.connections, SLICE_SECONDS));
  }
  return [caseResult(first, slices[0]), caseResult(second, slices[1])];
}

/** autocannon measures whole seconds at least. */
const SLICE_SECONDS = 1;

/** 0 or 1: the parity of the number of ones in `i`'s binary form. */
function thueMorse(i: number): 0 | 1 {
  let ones = 0;
  for (let n = i; n > 0; n >>= 1) ones += n & 1;
  return (ones % 2) as 0 | 1;
}

async function checkAndWarm(benchCase: BenchCase, settings: LoadSettings): Promise<void> {
  await sendExpectingSuccess(benchCase.label, benchCase.request);
  const warmup = await fire(benchCase, settings.connections, settings.warmupSeconds);
  if (failureCount(warmup) > 0) {
    throw new BenchmarkError(`${benchCase.label}: ${describeFailures(warmup)} during warm-up; not measuring a case that fails.`);
  }
}

/** req/s over all the runs' time together; latencies are the median run's (autocannon reports percentiles, not counts). */
function caseResult(benchCase: BenchCase, runs: readonly autocannon.Result[]): CaseResult {
  const requests = runs.reduce((sum, r) => sum + r.requests.total, 0);
  const seconds = runs.reduce((sum, r) => sum + r.duration, 0);
  const median = (pick: (r: autocannon.Result) => number) => middle(runs.map(pick).sort((a, b) => a - b));
  return {
    id: benchCase.id,
    label: benchCase.label,
    requestsPerSecond: requests / seconds,
    p50Ms: median((r) => r.latency.p50),
    p99Ms: median((r) => r.latency.p99),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

export function isValid(result: CaseResult): boolean {
  return result.non2xx === 0 && result.errors === 0;
}

/** The load comes from this process's own thread; every server runs in a process of its own. */
function fire(benchCase: BenchCase, connections: number, seconds: number): Promise<autocannon.Result> {
  const { method, url, headers, body } = benchCase.request;
  return autocannon({ url, method, headers, ...(body === undefined ? {} : { body }), connections, duration: seconds });
}

function failureCount(result: autocannon.Result): number {
  return result.non2xx + result.errors;
}

function describeFailures(result: autocannon.Result): string {
  const byStatus = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, stats]) => `${stats.count ?? 0}× ${status}`);
  return [`${result.non2xx} non-2xx${byStatus.length > 0 ? ` (${byStatus.join(', ')})` : ''}`, `${result.errors} connection errors`].join(
    ', ',
  );
}
