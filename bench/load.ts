import autocannon from 'autocannon';
import { BenchmarkError } from './benchmark-error.js';
import type { BenchCase } from './cases.js';
import { sendExpectingSuccess } from './http-request.js';
import { middle } from './median.js';
import type { LoadSettings } from './settings.js';

export interface CaseResult {
  id: string;
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
  const slices: [Sample[], Sample[]] = [[], []];
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
  for (const request of benchCase.requests) await sendExpectingSuccess(benchCase.label, request);
  const warmup = await fire(benchCase, settings.connections, settings.warmupSeconds);
  if (warmup.non2xx + warmup.errors > 0) {
    throw new BenchmarkError(`${benchCase.label}: ${warmup.failures} during warm-up; not measuring a case that fails.`);
  }
}

/** Measures a case once for `seconds`, without a check or warm-up: for a case measured around something else. */
export async function measureWindow(benchCase: BenchCase, settings: LoadSettings, seconds: number): Promise<CaseResult> {
  return caseResult(benchCase, [await fire(benchCase, settings.connections, seconds)]);
}

/** req/s over all the runs' time together; latencies are the median run's (autocannon reports percentiles, not counts). */
function caseResult(benchCase: BenchCase, runs: readonly Sample[]): CaseResult {
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0);
  const median = (pick: (r: Sample) => number) => middle(runs.map(pick).sort((a, b) => a - b));
  return {
    id: benchCase.id,
    label: benchCase.label,
    requestsPerSecond: requests / seconds,
    p50Ms: median((r) => r.p50Ms),
    p99Ms: median((r) => r.p99Ms),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
  };
}

export function isValid(result: CaseResult): boolean {
  return result.non2xx === 0 && result.errors === 0;
}

/** One autocannon run, or several at once for a case spread over nodes, as one. */
interface Sample {
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** The failures in words, e.g. "3 non-2xx (3× 429), 0 connection errors". */
  failures: string;
}

/**
 * The load comes from this process's own thread; every server runs in a process of its own. A case over several nodes
 * splits the connections between them and loads them at once; its requests are summed, its latencies are the slowest
 * node's.
 */
async function fire(benchCase: BenchCase, connections: number, seconds: number): Promise<Sample> {
  const share = Math.max(1, Math.round(connections / benchCase.requests.length));
  const runs = await Promise.all(
    benchCase.requests.map(({ method, url, headers, body }) =>
      autocannon({ url, method, headers, ...(body === undefined ? {} : { body }), connections: share, duration: seconds }),
    ),
  );
  const sum = (pick: (r: autocannon.Result) => number) => runs.reduce((total, r) => total + pick(r), 0);
  const slowest = (pick: (r: autocannon.Result) => number) => Math.max(...runs.map(pick));
  return {
    requests: sum((r) => r.requests.total),
    seconds: slowest((r) => r.duration),
    p50Ms: slowest((r) => r.latency.p50),
    p99Ms: slowest((r) => r.latency.p99),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    failures: runs.map(describeFailures).join('; '),
  };
}

function describeFailures(result: autocannon.Result): string {
  const byStatus = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, stats]) => `${stats.count ?? 0}× ${status}`);
  return [`${result.non2xx} non-2xx${byStatus.length > 0 ? ` (${byStatus.join(', ')})` : ''}`, `${result.errors} connection errors`].join(
    ', ',
  );
}
