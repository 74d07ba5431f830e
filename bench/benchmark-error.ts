/**
 * A failure the benchmark explains itself (a server answered non-2xx, a setting is malformed): printed as its message
 * alone, because a stack trace would add nothing.
 */
export class BenchmarkError extends Error {
  override name = 'BenchmarkError';
}
