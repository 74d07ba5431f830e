import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouseRaw, serve } from '../cli/cli-runner.js';

const BIN = new URL('../../../bin/gatehouse.js', import.meta.url).pathname;

/** Waits until `read()` matches, or fails with what it holds. */
async function until(read: () => string, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let waited = 0; ; waited += 20) {
    const match = read().match(pattern);
    if (match) return match;
    if (waited > 20_000) throw new Error(`never matched ${pattern}:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('log format: JSON lines, readable lines on a terminal', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-logfmt-'));
    env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'g.db')}` };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('into a pipe the log is JSON, one object a line', async () => {
    const server = await serve(env);
    try {
      await fetch(`${server.info.url}/healthz?secret=1`);
    } finally {
      await server.stop();
    }
    const lines = server.stderr().trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { msg: string; req?: { path: string } });
    assert.ok(parsed.some((line) => line.msg === 'request completed' && line.req?.path === '/healthz'));
  });

  test('GATEHOUSE_LOG_FORMAT=pretty makes a pipe readable too; json keeps JSON on a terminal', async () => {
    const server = await serve({ ...env, GATEHOUSE_LOG_FORMAT: 'pretty' });
    try {
      await fetch(`${server.info.url}/no-such-page?code=1000.abc`);
      await until(server.stderr, /request completed GET \/no-such-page 404/);
    } finally {
      await server.stop();
    }
    assert.match(server.stderr(), /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: Server listening at http:/m);
    assert.doesNotMatch(server.stderr(), /^\{/m, 'no JSON line');
    assert.doesNotMatch(server.stderr(), /1000\.abc/, 'no query string');
    assert.doesNotMatch(server.stderr(), /\u001b\[/, 'no colours into a pipe');

    const onTerminal = await underTerminal({ ...env, GATEHOUSE_LOG_FORMAT: 'json' });
    assert.match(onTerminal, /^\{"level":30,.*"msg":"request completed"/m);
  });

  test('on a terminal (a pseudo-terminal made by script) the lines are readable and the banner stands apart', async () => {
    const output = await underTerminal(env);
    assert.match(output, /INFO.*: .*request completed GET \/healthz 200 [\d.]+ ms from 127\.0\.0\.1/);
    assert.doesNotMatch(output, /^\{"level"/m);
    assert.match(output, /^Gatehouse is serving http:\/\/127\.0\.0\.1:\d+ /m);
  });

  test('another GATEHOUSE_LOG_FORMAT is refused, naming the choices', async () => {
    const result = await gatehouseRaw({ ...env, GATEHOUSE_LOG_FORMAT: 'yaml' }, ['serve']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /GATEHOUSE_LOG_FORMAT must be json or pretty, got "yaml"/);
  });

  /**
   * `gatehouse serve` run by `script`, which gives it a pseudo-terminal for standard output: what it printed once it
   * has logged one request, and stopped. `timeout` inside bounds the server's life even if this test dies.
   */
  async function underTerminal(settings: Record<string, string>): Promise<string> {
    const command = `exec timeout --foreground -s INT 60 ${process.execPath} ${BIN} serve`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...settings },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exited = once(child, 'exit');
    try {
      const [, url] = await until(() => output, /Gatehouse is serving (http:\/\/\S+) /);
      await fetch(`${url}/healthz`);
      await until(() => output, /request completed/);
    } finally {
      // Ctrl-C, as a person stops it: the terminal sends SIGINT to the server (killing script would orphan it).
      child.stdin.write('\u0003');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(killer);
    }
    // The terminal ends lines with CR LF; colours are codes, taken out so the patterns read as the text does.
    return output.replace(/\r/g, '').replace(/\u001b\[[0-9;]*m/g, '');
  }
});
