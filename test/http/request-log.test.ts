import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { serve } from '../cli/cli-runner.js';

/**
 * The request log as `gatehouse serve` writes it (asynchronously, see src/http/request-log.ts): one line per request,
 * and none lost when the server stops cleanly, even lines still queued when SIGTERM arrives.
 */
test('serve logs every request in one line, and a clean stop loses none of them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-log-'));
  const server = await serve({
    GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'gatehouse.db')}`,
    GATEHOUSE_ISSUER: 'http://gatehouse.test',
    GATEHOUSE_LOG_LEVEL: 'info',
  });
  const paths = Array.from({ length: 400 }, (_, i) => (i % 2 ? `/healthz?n=${i}` : `/no-such-page-${i}`));
  try {
    const base = server.info.url.replace('localhost', '127.0.0.1');
    // Sent in bursts, so that lines are still queued when the last answers arrive and the stop follows at once.
    for (let i = 0; i < paths.length; i += 50) {
      await Promise.all(paths.slice(i, i + 50).map(async (path) => (await fetch(base + path)).arrayBuffer()));
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  const completed = server
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg: string; req?: { path: string }; res?: { statusCode: number } })
    .filter((line) => line.msg === 'request completed');
  assert.equal(completed.length, paths.length, 'one line per request');
  const logged = new Set(completed.map((line) => `${line.req!.path} ${line.res!.statusCode}`));
  for (const path of paths) {
    const expected = path.startsWith('/healthz') ? '/healthz 200' : `${path} 404`;
    assert.ok(logged.has(expected), expected);
  }
  assert.ok(!server.stderr().includes('?n='), 'the query string is never logged');
});
