import { cpus } from 'node:os';
import { GATEHOUSE_CASES, type CaseId } from './cases.js';
import { isValid, type CaseResult } from './load.js';
import type { LoadSettings } from './settings.js';

export function machineLine(settings: LoadSettings): string {
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim() ?? 'unknown CPU';
  return [
    `Machine: ${cpuList.length} CPUs (${model}), Node ${process.version}, ${process.platform}/${process.arch}`,
    `Load:    autocannon, ${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s per case, one worker thread`,
  ].join('\n');
}

export function resultsTable(results: readonly CaseResult[]): string {
  const header = ['Case', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors', ''];
  const rows = results.map((r) => [
    r.label,
    formatNumber(r.requestsPerSecond, 0),
    formatLatency(r.p50Ms),
    formatLatency(r.p99Ms),
    String(r.non2xx),
    String(r.errors),
    isValid(r) ? '' : 'INVALID',
  ]);
  const [headerLine = '', ...rowLines] = alignColumns([header, ...rows], [false, true, true, true, true, true, false]);
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

export function ratiosSection(results: readonly CaseResult[]): string {
  const byId = new Map(results.map((r) => [r.id, r]));
  const floorRatios = GATEHOUSE_CASES.map((id): Ratio => {
    // A protected read compares with the floor answering the same JSON to a GET; the rest with the POST floor.
    const floor = id === 'gatehouse-crm-record' ? 'bare-http-get' : 'bare-http';
    return {
      label: `${byId.get(id)?.label ?? id} ÷ bare node:http${floor === 'bare-http-get' ? ' (same JSON)' : ''}`,
      numerator: id,
      denominator: floor,
      ...(id === 'gatehouse-crm-record' ? { target: 0.6 } : {}),
    };
  });
  const lines = [...BASELINE_RATIOS, ...floorRatios].map((ratio) => formatRatio(ratio, byId));
  return [
    'Ratios (req/s):',
    ...alignColumns(
      lines.map(([label, value, note]) => [`  ${label}`, value, note]),
      [false, true, false],
    ),
  ].join('\n');
}

function formatRatio(ratio: Ratio, byId: ReadonlyMap<CaseId, CaseResult>): [string, string, string] {
  const top = byId.get(ratio.numerator);
  const bottom = byId.get(ratio.denominator);
  if (!top || !bottom || bottom.requestsPerSecond === 0) return [ratio.label, 'n/a', ''];
  const value = top.requestsPerSecond / bottom.requestsPerSecond;
  const caveat = isValid(top) && isValid(bottom) ? '' : ' (from an INVALID case)';
  const verdict = ratio.target === undefined ? '' : `target ≥ ${ratio.target.toFixed(1)}×: ${value >= ratio.target ? 'met' : 'MISSED'}`;
  return [ratio.label, `${value.toFixed(2)}×`, `${verdict}${caveat}`.trim()];
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
