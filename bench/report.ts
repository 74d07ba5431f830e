import { cpus } from 'node:os';
import type { BenchCase, Ratio } from './cases.js';
import { isValid, type CaseResult } from './load.js';
import { middle } from './median.js';
import type { LoadSettings } from './settings.js';

export function machineLine(settings: LoadSettings): string {
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim() ?? 'unknown CPU';
  return [
    `Machine: ${cpuList.length} CPUs (${model}), Node ${process.version}, ${process.platform}/${process.arch}`,
    `Load:    autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per case, ${settings.rounds} rounds (each case once per round; a case with a target and its baseline in alternating 1 s slices); each server in its own process`,
  ].join('\n');
}

/** Per case: the median round's figures, the range of req/s over the rounds, and every failure of any round. */
export function resultsTable(rounds: readonly (readonly CaseResult[])[]): string {
  const header = ['Case', 'req/s (median)', 'range over rounds', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', ''];
  const rows = (rounds[0] ?? []).map(({ id }) => {
    const runs = rounds.map((round) => round.find((r) => r.id === id)!).sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
    const median = middle(runs);
    const non2xx = runs.reduce((sum, r) => sum + r.non2xx, 0);
    const errors = runs.reduce((sum, r) => sum + r.errors, 0);
    return [
      median.label,
      formatNumber(median.requestsPerSecond, 0),
      `${formatNumber(runs[0]!.requestsPerSecond, 0)}–${formatNumber(runs.at(-1)!.requestsPerSecond, 0)}`,
      formatLatency(median.p50Ms),
      formatLatency(median.p99Ms),
      String(non2xx),
      String(errors),
      runs.every(isValid) ? '' : 'INVALID',
    ];
  });
  const [headerLine = '', ...rowLines] = alignColumns([header, ...rows], [false, true, true, true, true, true, true, false]);
  return [headerLine, '-'.repeat(headerLine.length), ...rowLines].join('\n');
}

/** Each ratio is taken within a round (a case and its baseline measured a minute apart, not several), then the median. */
export function ratiosSection(rounds: readonly (readonly CaseResult[])[], ratios: readonly Ratio[]): string {
  const byRound = rounds.map((round) => new Map(round.map((r) => [r.id, r])));
  const lines = ratios.map((ratio) => formatRatio(ratio, byRound));
  return [
    'Ratios (req/s; median of the rounds, then each round):',
    ...alignColumns(
      lines.map(([label, value, each, note]) => [`  ${label}`, value, each, note]),
      [false, true, false, false],
    ),
  ].join('\n');
}

/**
 * Each case's p99, the median over the rounds (the results table shows the median-throughput round's), against a
 * latency goal; reported, never enforced.
 */
export function latencySection(rounds: readonly (readonly CaseResult[])[], cases: readonly BenchCase[], targetMs: number): string {
  const rows = cases.map(({ id, label }) => {
    const median = middle(rounds.map((round) => round.find((r) => r.id === id)!).sort((a, b) => a.p99Ms - b.p99Ms));
    return [`  ${label}`, `${formatLatency(median.p99Ms)} ms`, median.p99Ms < targetMs ? 'met' : 'MISSED'];
  });
  return [`p99 latency (median of the rounds' p99s), target under ${targetMs} ms:`, ...alignColumns(rows, [false, true, false])].join('\n');
}

function formatRatio(ratio: Ratio, byRound: ReadonlyArray<ReadonlyMap<string, CaseResult>>): [string, string, string, string] {
  const pairs = byRound.map((byId) => [byId.get(ratio.numerator.id), byId.get(ratio.denominator.id)] as const);
  if (pairs.some(([top, bottom]) => !top || !bottom || bottom.requestsPerSecond === 0)) return [ratio.label, 'n/a', '', ''];
  const values = pairs.map(([top, bottom]) => top!.requestsPerSecond / bottom!.requestsPerSecond);
  const value = middle([...values].sort((a, b) => a - b));
  const caveat = pairs.every(([top, bottom]) => isValid(top!) && isValid(bottom!)) ? '' : ' (from an INVALID case)';
  const verdict = ratio.target === undefined ? '' : `target ≥ ${ratio.target.toFixed(1)}×: ${value >= ratio.target ? 'met' : 'MISSED'}`;
  return [ratio.label, `${value.toFixed(2)}×`, `(${values.map((v) => v.toFixed(2)).join(', ')})`, `${verdict}${caveat}`.trim()];
}

/** autocannon's latency histogram counts whole milliseconds, so a 0 means "under one". */
export function formatLatency(ms: number): string {
  return ms < 1 ? '<1' : formatNumber(ms, 0);
}

export function formatNumber(value: number, decimals: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Pads every column to its widest cell; `rightAligned[i]` for numeric columns. Trailing blanks are trimmed. */
function alignColumns(rows: readonly string[][], rightAligned: readonly boolean[]): string[] {
  const widths = rightAligned.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const pad = (cell: string, column: number) =>
    rightAligned[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0);
  return rows.map((row) => row.map(pad).join('  ').trimEnd());
}
