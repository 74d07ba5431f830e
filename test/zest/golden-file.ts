import { readFileSync, writeFileSync } from 'node:fs';

/** Test files kept in the source tree (test/zest/...), read from the compiled tests in dist/test/zest. */
export function sourceFile(name: string): string {
  return new URL(`../../../test/zest/${name}`, import.meta.url).pathname;
}

/**
 * The checked-in golden document. `ZEST_UPDATE_GOLDEN=1 npm test -- zest` rewrites it from the server's output;
 * review the diff before committing it.
 */
export function golden(name: string, actual: string): string {
  const path = sourceFile(`golden/${name}`);
  if (process.env.ZEST_UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  return readFileSync(path, 'utf8');
}
