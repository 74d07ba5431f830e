import { cpus } from 'node:os';
import { GATEHOUSE_CASES, type CaseId } from './cases.js';
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

interface Ratio {
  label: string;
  numerator: CaseId;
  denominator: CaseId;
  /** A goal the ratio should reach; reported, never enforced: this is a benchmark, not a test. */
  target?: number;
}

const BASELINE_RATIOS: Ratio[] = [
  {
    label: 'Gatehouse client_credentials ÷ oidc-provider client_credentials',
    numerator: 'gatehouse-client-credentials',
    denominator: 'oidc-client-credentials',
    target: 2.0,
  },
  {
    label: 'Gatehouse introspection ÷ oidc-provider introspection',
    numerator: 'gatehouse-introspection',
    denominator: 'oidc-introspection',
  },
];

/** A protected read compares with the floor answering the same JSON to a GET; the rest with the POST floor. */
function floorOf(id: CaseId): CaseId {
  return id === 'gatehouse-crm-record' ? 'bare-http-get' : 'bare-http';
}

/** Targets set on a Gatehouse case's ratio to its floor. */
const FLOOR_TARGETS: Partial<Record<CaseId, number>> = { 'gatehouse-crm-record': 0.6 };

/** The pairs compared with a target or a named baseline, which the bench therefore measures together (`measurePair`). */
export const BACK_TO_BACK: ReadonlyArray<readonly [CaseId, CaseId]> = [
  ...BASELINE_RATIOS.map((ratio) => [ratio.numerator, ratio.denominator] as const),
  ...GATEHOUSE_CASES.filter((id) => FLOOR_TARGETS[id] !== undefined).map((id) => [id, floorOf(id)] as const),
];

/** Each ratio is taken within a round (a case and its baseline measured a minute apart, not several), then the median. */
export function ratiosSection(rounds: readonly (readonly CaseResult[])[]): string {
  const byRound = rounds.map((round) => new Map(round.map((r) => [r.id, r])));
  const byId = byRound[0] ?? new Map<CaseId, CaseResult>();
  const floorRatios = GATEHOUSE_CASES.map((id): Ratio => {
    const floor = floorOf(id);
    const target = FLOOR_TARGETS[id];
    return {
      label: `${byId.get(id)?.label ?? id} ÷ bare node:http${floor === 'bare-http-get' ? ' (same JSON)' : ''}`,
      numerator: id,
      denominator: floor,
      ...(target === undefined ? {} : { target }),
    };
  });
  const lines = [...BASELINE_RATIOS, ...floorRatios].map((ratio) => formatRatio(ratio, byRound));
  return [
    'Ratios (req/s; median of the rounds, then each round):',
    ...alignColumns(
      lines.map(([label, value, each, note]) => [`  ${label}`, value, each, note]),
      [false, true, false, false],
    ),
  ].join('\n');
}

function formatRatio(ratio: Ratio, byRound: ReadonlyArray<ReadonlyMap<CaseId, CaseResult>>): [string, string, string, string] {
  const pairs = byRound.map((byId) => [byId.get(ratio.numerator), byId.get(ratio.denominator)] as const);
  if (pairs.some(([top, bottom]) => !top || !bottom || bottom.requestsPerSecond === 0)) return [ratio.label, 'n/a', '', ''];
  const values = pairs.map(([top, bottom]) => top!.requestsPerSecond / bottom!.requestsPerSecond);
  const value = middle([...values].sort((a, b) => a - b));
  const caveat = pairs.every(([top, bottom]) => isValid(top!) && isValid(bottom!)) ? '' : ' (from an INVALID case)';
  const verdict = ratio.target === undefined ? '' : `target ≥ ${ratio.target.toFixed(1)}×: ${value >= ratio.target ? 'met' : 'MISSED'}`;
  return [ratio.label, `${value.toFixed(2)}×`, `(${values.map((v) => v.toFixed(2)).join(', ')})`, `${verdict}${caveat}`.trim()];
}

/** autocannon's latency histogram counts whole milliseconds, so a 0 means "under one". */
function formatLatency(ms: number): string {
  return ms < 1 ? '<1' : formatNumber(ms, 0);
}

function formatNumber(value: number, decimals: number): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Pads every column to its widest cell; `rightAligned[i]` for numeric columns. Trailing blanks are trimmed. */
function alignColumns(rows: readonly string[][], rightAligned: readonly boolean[]): string[] {
  const widths = rightAligned.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const pad = (cell: string, column: number) =>
    rightAligned[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0);
  return rows.map((row) => row.map(pad).join('  ').trimEnd());
}
