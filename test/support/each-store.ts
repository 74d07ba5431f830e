import { after, before, describe } from 'node:test';
import { Harness } from './harness.js';
import { STORE_KINDS } from './stores.js';

/**
 * Runs a feature suite once per store (SQLite, PostgreSQL) against a real server on a free port. `get()` returns
 * the running harness inside tests.
 */
export function describeEachStore(
  title: string,
  body: (get: () => Harness) => void,
  config: Parameters<typeof Harness.start>[1] = {},
): void {
  for (const kind of STORE_KINDS) {
    describe(`${title} [${kind.name}]`, async () => {
      const skip = await kind.skip();
      if (skip) {
        describe('skipped', { skip }, () => {});
        return;
      }
      let harness: Harness | undefined;
      before(async () => {
        harness = await Harness.start(kind, config);
      });
      after(async () => {
        await harness?.close();
      });
      body(() => harness!);
    });
  }
}
