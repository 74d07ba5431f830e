import type { LoadSettings } from '../settings.js';
import type { Teardown } from '../teardown.js';

export type SuiteName = 'defaults' | 'postgres' | 'nodes' | 'million' | 'purge';

/** One selectable part of `npm run bench` (`--only NAME`): it starts its servers, measures and prints its report. */
export interface Suite {
  name: SuiteName;
  /** What it compares and how the servers run, printed before it starts. */
  about: string;
  /** Everything it starts goes on `teardown`, run when the suite ends, so suites never load each other's servers. */
  run(settings: LoadSettings, teardown: Teardown): Promise<void>;
}
