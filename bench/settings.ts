import { BenchmarkError } from './benchmark-error.js';

export interface LoadSettings {
  /** Concurrent keep-alive connections per case. */
  connections: number;
  /** Measured seconds per case. */
  durationSeconds: number;
  /** Unmeasured seconds per case first: lets V8 optimise the hot path and SQLite warm its page cache. */
  warmupSeconds: number;
}

const DEFAULT_DURATION_SECONDS = 5;

/** `BENCH_DURATION` (seconds) shortens or lengthens every case; the rest is fixed so runs stay comparable. */
export function readLoadSettings(env: NodeJS.ProcessEnv): LoadSettings {
  return { connections: 10, durationSeconds: readDuration(env.BENCH_DURATION), warmupSeconds: 1 };
}

function readDuration(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_DURATION_SECONDS;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1) {
    throw new BenchmarkError(`BENCH_DURATION must be a whole number of seconds, at least 1; got "${raw}".`);
  }
  return seconds;
}
