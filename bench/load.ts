import autocannon from 'autocannon';
import { BenchmarkError } from './benchmark-error.js';
import type { BenchCase, CaseId } from './cases.js';
import { sendExpectingSuccess } from './http-request.js';
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
  await sendExpectingSuccess(benchCase.label, benchCase.request);
  const warmup = await fire(benchCase, settings.connections, settings.warmupSeconds);
  if (failureCount(warmup) > 0) {
    throw new BenchmarkError(`${benchCase.label}: ${describeFailures(warmup)} during warm-up; not measuring a case that fails.`);
  }
  const result = await fire(benchCase, settings.connections, settings.durationSeconds);
  return {
    id: benchCase.id,
    label: benchCase.label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
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
