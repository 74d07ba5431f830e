import { after, before, describe } from 'node:test';
import { Harness, type HarnessServices } from './harness.js';
import { STORE_KINDS } from './stores.js';

/** Something a suite runs once for: a store kind, a deployment. Its skip message says which service is missing. */
export interface Variant {
  name: string;
  skip(): Promise<string | false>;
}

/**
 * Runs `body` once per variant, in a describe named `title [variant]`: what `open` makes for it is ready before the
 * tests (`get()` returns it) and closed after them; a variant whose service is missing is skipped with its reason.
 */
export function describeEach<V extends Variant, R>(
  title: string,
  variants: readonly V[],
  open: (variant: V) => Promise<R>,
  close: (resource: R) => Promise<void>,
  body: (get: () => R, variant: V) => void,
): void {
  for (const variant of variants) {
    describe(`${title} [${variant.name}]`, async () => {
      const skip = await variant.skip();
      if (skip) {
        describe('skipped', { skip }, () => {});
        return;
      }
      let resource: R | undefined;
      before(async () => {
        resource = await open(variant);
      });
      after(async () => {
        if (resource !== undefined) await close(resource);
      });
      body(() => resource!, variant);
    });
  }
}

/**
 * Runs a feature suite once per store (SQLite, PostgreSQL) against a real server on a free port. `get()` returns
 * the running harness inside tests.
 */
export function describeEachStore(
  title: string,
  body: (get: () => Harness) => void,
  config: Parameters<typeof Harness.start>[1] = {},
  services: HarnessServices = {},
): void {
  describeEach(
    title,
    STORE_KINDS,
    (kind) => Harness.start(kind, config, services),
    (harness) => harness.close(),
    (get) => body(get),
  );
}
