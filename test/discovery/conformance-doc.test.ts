import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

/**
 * docs/conformance.md backs each row with the Gatehouse tests that cover it, written as `test/…/x.test.ts` ›
 * `the test's name`. This keeps the document from drifting: every repository path it cites must exist, and every cited
 * test name must still be in that file's source. A name may end in "…" to cite it by its beginning.
 */
const root = new URL('../../../', import.meta.url).pathname;
const document = readFileSync(join(root, 'docs/conformance.md'), 'utf8');

/** Backticked repository paths (`src/…`, `test/…`, `packages/…`, `docs/…`), each with the test name after a ›, if any. */
const CITATION = /`((?:src|test|packages|docs|scripts)\/[^`\s]+)`(?:\s*›\s*`([^`]+)`)?/g;

interface Citation {
  path: string;
  testName: string | undefined;
}

function citations(markdown: string): Citation[] {
  return [...markdown.matchAll(CITATION)].map((match) => ({ path: match[1]!, testName: match[2] }));
}

test('the citation pattern reads a path alone and a path with a test name', () => {
  assert.deepEqual(citations('see `src/a.ts`, `test/b.test.ts` › `does it`; `test/c.test.ts`›`starts…`'), [
    { path: 'src/a.ts', testName: undefined },
    { path: 'test/b.test.ts', testName: 'does it' },
    { path: 'test/c.test.ts', testName: 'starts…' },
  ]);
});

test('every path docs/conformance.md cites exists in the repository', () => {
  const cited = citations(document);
  assert.ok(cited.length > 20, 'the document cites its evidence');
  const missing = [...new Set(cited.map((c) => c.path))].filter((path) => !existsSync(join(root, path)));
  assert.deepEqual(missing, []);
});

test('every test name docs/conformance.md cites is in the source of the file it names', () => {
  const named = citations(document).filter((c) => c.testName !== undefined && existsSync(join(root, c.path)));
  assert.ok(named.length > 20, 'the document names the tests it relies on');
  const sources = new Map<string, string>();
  const source = (path: string) => sources.get(path) ?? sources.set(path, readFileSync(join(root, path), 'utf8')).get(path)!;
  const absent = named
    .filter(({ path, testName }) => !source(path).includes(testName!.replace(/…$/, '')))
    .map(({ path, testName }) => `${path} › ${testName}`);
  assert.deepEqual([...new Set(absent)], []);
});
