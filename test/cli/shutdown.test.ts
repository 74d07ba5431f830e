import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouseOk, serve, type ServeProcess } from './cli-runner.js';

/**
 * `gatehouse serve` as a process manager stops it: SIGTERM. It must report itself not ready, answer what it accepted,
 * commit what it answered, and exit 0 promptly, whatever its clients hold open; or past GATEHOUSE_SHUTDOWN_SECONDS,
 * exit non-zero saying so.
 */
describe('serve: graceful shutdown on SIGTERM', () => {
  let dir: string;
  let env: Record<string, string>;
  let self: { clientId: string; clientSecret: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-shutdown-'));
    // access tokens off: client_credentials keeps no per-refresh-token count, but nothing must evict a token under test.
    env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'g.db')}`, GATEHOUSE_LIMIT_ACCESS_TOKENS: 'off' };
    const email = 'ann@example.com';
    await gatehouseOk(env, 'user', 'create', '--email', email, '--password', 'correct horse', '--first-name', 'Ann', '--last-name', 'Lee');
    const client = await gatehouseOk(env, 'client', 'create', '--owner', email, '--type', 'self');
    self = { clientId: client.client_id, clientSecret: client.client_secret };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const tokenForm = () =>
    new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: self.clientId,
      client_secret: self.clientSecret,
      scope: 'ZohoCRM.modules.ALL',
    }).toString();

  async function connected(url: string): Promise<Socket> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return socket;
  }

  /** Resolves once `stderr()` holds a line matching `pattern` (the server's log, under --json). */
  async function logged(server: ServeProcess, pattern: RegExp): Promise<void> {
    for (let waited = 0; !pattern.test(server.stderr()); waited += 10) {
      if (waited > 10_000) throw new Error(`never logged ${pattern}:\n${server.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function timeToExit(server: ServeProcess): Promise<{ code: number | null; ms: number }> {
    const started = performance.now();
    server.kill('SIGTERM');
    const code = await Promise.race([server.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 8000))]);
    if (code === 'hung') {
      server.kill('SIGKILL');
      await server.exited;
      assert.fail(`still running 8 s after SIGTERM; log:\n${server.stderr()}`);
    }
    return { code, ms: performance.now() - started };
  }

  test('clients holding connections open (kept alive, opened but silent, half a request) do not keep it up', async () => {
    const server = await serve(env);
    const agent = new http.Agent({ keepAlive: true });
    const sockets: Socket[] = [];
    try {
      // Three kept-alive connections, idle after a request each.
      await Promise.all(
        Array.from(
          { length: 3 },
          () =>
            new Promise<void>((resolve, reject) => {
              http.get(`${server.info.url}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
            }),
        ),
      );
      assert.equal(Object.values(agent.freeSockets).flat().length, 3);
      // Connections opened ahead of need (as load balancers and browsers do), and one that sent half its headers.
      for (let i = 0; i < 3; i++) sockets.push(await connected(server.info.url));
      const partial = await connected(server.info.url);
      partial.write('GET /healthz HTTP/1.1\r\nHost: gatehouse.test\r\n');
      sockets.push(partial);
      for (const socket of sockets) socket.on('error', () => {});
      await new Promise((resolve) => setTimeout(resolve, 100));

      const { code, ms } = await timeToExit(server);
      assert.equal(code, 0, server.stderr());
      assert.ok(ms < 2000, `exited ${Math.round(ms)} ms after SIGTERM (bound: 10 s)`);
      assert.match(server.stderr(), /"msg":"shut down"/);
    } finally {
      agent.destroy();
      for (const socket of sockets) socket.destroy();
    }
  });

  test('a request in flight is answered; /readyz sent behind it answers 503 draining; then exit 0', async () => {
    const server = await serve(env);
    const socket = await connected(server.info.url);
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    const ended = once(socket, 'close');
    const body = tokenForm();
    // `Expect: 100-continue` makes the server say when it has the headers (and the request is in flight), so SIGTERM
    // is sent at a known point: the body is still to come.
    socket.write(
      'POST /oauth/v2/token HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        `Expect: 100-continue\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    for (let waited = 0; !received.includes('100 Continue'); waited += 10) {
      assert.ok(waited < 5000, 'no 100 Continue');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    server.kill('SIGTERM');
    await logged(server, /shutting down: draining/);
    // The rest of the request, and a second one pipelined behind it on the same connection.
    socket.write(`${body}GET /readyz HTTP/1.1\r\nHost: gatehouse.test\r\n\r\n`);
    await ended;
    assert.equal(await server.exited, 0, server.stderr());

    const responses = received.split(/(?=HTTP\/1\.1 )/);
    assert.deepEqual(
      responses.map((r) => r.split('\r\n')[0]),
      ['HTTP/1.1 100 Continue', 'HTTP/1.1 200 OK', 'HTTP/1.1 503 Service Unavailable'],
      received,
    );
    assert.match(responses[1]!, /"access_token":"1000\./);
    assert.match(responses[2]!, /connection: close/i);
    assert.ok(responses[2]!.endsWith('{"status":"not_ready","checks":{"shutdown":"draining"}}'), responses[2]);
  });

  test('past GATEHOUSE_SHUTDOWN_SECONDS: the connections left are destroyed, exit 1, one log line saying so', async () => {
    const server = await serve({ ...env, GATEHOUSE_SHUTDOWN_SECONDS: '1' });
    // A request whose body never finishes: in flight for ever.
    const socket = await connected(server.info.url);
    socket.on('error', () => {});
    let received = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (received += chunk));
    socket.write(
      'POST /oauth/v2/token HTTP/1.1\r\nHost: gatehouse.test\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
        'Expect: 100-continue\r\nContent-Length: 1000\r\n\r\ngrant_type=',
    );
    for (let waited = 0; !received.includes('100 Continue'); waited += 10) {
      assert.ok(waited < 5000, 'no 100 Continue');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const { code, ms } = await timeToExit(server);
    socket.destroy();
    assert.equal(code, 1, server.stderr());
    assert.ok(ms >= 900 && ms < 4000, `exited ${Math.round(ms)} ms after SIGTERM`);
    const lines = server
      .stderr()
      .split('\n')
      .filter((line) => /did not finish within/.test(line));
    assert.equal(lines.length, 1, server.stderr());
    assert.match(lines[0]!, /"level":50.*within 1 s: destroying the 1 connection\(s\) left and exiting/);
  });

  test('under load: exit 0, and every token answered with a 200 is stored', async () => {
    const server = await serve(env);
    const url = `${server.info.url}/oauth/v2/token`;
    const issued: string[] = [];
    let otherStatuses = 0;
    let stopped = false;
    // 24 clients, each sending its next request as soon as the last is answered, over kept-alive connections, until
    // the server stops taking them (a refused or reset connection ends the client).
    const clients = Array.from({ length: 24 }, async () => {
      while (!stopped) {
        let response: Response;
        try {
          response = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: tokenForm(),
          });
        } catch {
          return;
        }
        const text = await response.text().catch(() => undefined);
        if (response.status === 200 && text !== undefined) issued.push((JSON.parse(text) as { access_token: string }).access_token);
        else otherStatuses++;
      }
    });
    while (issued.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    const atSignal = issued.length;
    server.kill('SIGTERM');
    const code = await server.exited;
    stopped = true;
    await Promise.all(clients);
    assert.equal(code, 0, server.stderr());
    assert.equal(otherStatuses, 0, 'no request was refused: each was answered, or its connection was closed unanswered');
    assert.ok(issued.length >= atSignal, `${issued.length} tokens`);

    // Read back through a new server on the same file: every token that was answered is there, and live.
    const again = await serve(env);
    try {
      const auth = `Basic ${Buffer.from(`${self.clientId}:${self.clientSecret}`).toString('base64')}`;
      const inactive: string[] = [];
      for (let i = 0; i < issued.length; i += 32) {
        await Promise.all(
          issued.slice(i, i + 32).map(async (token) => {
            const res = await fetch(`${again.info.url}/oauth/v2/introspect`, {
              method: 'POST',
              headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({ token }).toString(),
            });
            const result = (await res.json()) as { active: boolean };
            if (!result.active) inactive.push(token);
          }),
        );
      }
      assert.deepEqual(inactive, [], `${inactive.length} of ${issued.length} answered tokens are not stored`);
    } finally {
      await again.stop();
    }
  });
});
