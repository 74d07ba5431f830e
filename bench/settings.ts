import { BenchmarkError } from './benchmark-error.js';

export interface LoadSettings {
  /** Concurrent keep-alive connections per case. */
  connections: number;
  /** Measured seconds per case and round. */
  durationSeconds: number;
  /**
   * Every case runs once per round, rounds one after another. This machine's speed drifts over a minute, so a case
   * measured only before its baseline compares two different machines; a ratio is taken within each round instead.
   */
  rounds: number;
  /** Unmeasured seconds per case first: lets V8 optimise the hot path and SQLite warm its page cache. */
  warmupSeconds: number;
}

/** Gatehouse's log level, as `gatehouse serve` reads it: by default `info`, every request logged, as `npm start` runs. */
export const BENCH_LOG_LEVEL = process.env.GATEHOUSE_LOG_LEVEL ?? 'info';

/** Four one-second slices of each case of a pair: the alternating order (`measurePair`) is balanced at a multiple of four slices. */
const DEFAULT_DURATION_SECONDS = 4;
const DEFAULT_ROUNDS = 5;

/**
 * `BENCH_DURATION` (seconds per case and round) and `BENCH_ROUNDS` shorten or lengthen the run; the rest is fixed so
 * runs stay comparable.
 */
export function readLoadSettings(env: NodeJS.ProcessEnv): LoadSettings {
  return {
    // The connections the latency goal (p99 under 20 ms) is set at.
    connections: 50,
    durationSeconds: readWholeNumber('BENCH_DURATION', env.BENCH_DURATION, DEFAULT_DURATION_SECONDS),
    rounds: readWholeNumber('BENCH_ROUNDS', env.BENCH_ROUNDS, DEFAULT_ROUNDS),
    warmupSeconds: 1,
  };
}

function readWholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new BenchmarkError(`${name} must be a whole number, at least 1; got "${raw}".`);
  return value;
}

/**
 * The suites a run measures: `--only a,b` on the command line, else `BENCH_CASES=a,b`, else `defaults`; `all` for
 * every suite. Unknown names stop the run before anything starts.
 */
export function readSuiteNames<Name extends string>(argv: readonly string[], env: NodeJS.ProcessEnv, known: readonly Name[]): Name[] {
  const only = argv.indexOf('--only');
  const raw = only >= 0 ? (argv[only + 1] ?? '') : (env.BENCH_CASES ?? 'defaults');
  const names = raw.split(',').map((name) => name.trim());
  if (names.includes('all')) return [...known];
  const unknown = names.filter((name) => !(known as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new BenchmarkError(`no bench suite named ${unknown.map((n) => `"${n}"`).join(', ')}; choose from ${known.join(', ')} or all.`);
  return names as Name[];
}
