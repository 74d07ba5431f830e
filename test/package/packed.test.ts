/**
 * SLOW (one to several minutes): packs both packages with `npm pack` and installs each tarball into an empty directory
 * with npm, as a user would, then runs them: `npx gatehouse serve`, and a plain Express app that protects a route with
 * `@gatehouse/resource-server` against that server. The install compiles better-sqlite3 from source (no prebuilt
 * binary is downloaded here); the packages come from npm's cache, or the registry when the cache lacks one.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;
const EXPRESS_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules/express/package.json'), 'utf8')) as { version: string }).version;
const INSTALL_MS = 12 * 60_000;

/** `npm …` in `cwd`; a failure carries everything npm printed. */
async function npm(cwd: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('npm', [...args, '--no-audit', '--no-fund'], { cwd, timeout: INSTALL_MS, maxBuffer: 16 << 20 });
    return stdout;
  } catch (err) {
    const e = err as { message: string; stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** A process started in a group of its own (npx starts a shell, which starts node), so that all of it can be stopped. */
interface Started {
  child: ChildProcess;
  firstLine: string;
  output(): string;
}

async function start(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<Started> {
  const child = spawn(command, args, { cwd, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, detached: true });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(() => Promise.reject(new Error(`${command} ${args.join(' ')} exited:\n${output}`)));
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no output from ${command}:\n${output}`)), 60_000).unref(),
  );
  const started = { child, firstLine: '', output: () => output };
  processes.push(started);
  [started.firstLine] = (await Promise.race([once(lines, 'line'), exited, timeout])) as [string];
  return started;
}

const processes: Started[] = [];

/** Stops the whole group: SIGTERM, then SIGKILL if it is still there after five seconds. */
async function stop({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const EXPRESS_APP = `
import express from 'express';
import { introspectionVerifier } from '@gatehouse/resource-server';
import { requireToken } from '@gatehouse/resource-server/express';

const verify = introspectionVerifier({
  introspectionUrl: process.env.INTROSPECTION_URL,
  clientId: process.env.CLIENT_ID,
  clientSecret: process.env.CLIENT_SECRET,
});
const app = express();
app.get('/leads', requireToken({ verify, scopes: ['ZohoCRM.modules.leads.READ'] }), (req, res) => {
  res.json({ owner: res.locals.token.subject });
});
const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
`;

describe('the packed packages, installed with npm into empty directories', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-pack-'));
  });
  after(async () => {
    await Promise.all(processes.map(stop));
    rmSync(dir, { recursive: true, force: true });
  });

  test(
    'npx gatehouse serve runs, and an Express app protects a route with @gatehouse/resource-server',
    { timeout: 2 * INSTALL_MS },
    async (t) => {
      const began = performance.now();
      const phase = (name: string) => t.diagnostic(`${name} after ${Math.round((performance.now() - began) / 1000)} s`);
      // `npm test` built dist/ already; the pack scripts (prepare, prepack) would build it again, rewriting the files
      // the suites running alongside this one are loading, so they are skipped here.
      const tarballs = join(dir, 'tarballs');
      mkdirSync(tarballs);
      await npm(ROOT, 'pack', '--ignore-scripts', '--pack-destination', tarballs);
      await npm(ROOT, 'pack', '--ignore-scripts', '--workspace', 'packages/resource-server', '--pack-destination', tarballs);
      phase('packed');
      const tarball = (prefix: string) =>
        join(
          tarballs,
          readdirSync(tarballs).find((f) => f.startsWith(prefix))!,
        );

      const serverDir = join(dir, 'server');
      const apiDir = join(dir, 'api');
      mkdirSync(serverDir);
      mkdirSync(apiDir);
      writeFileSync(join(apiDir, 'package.json'), JSON.stringify({ name: 'api', private: true, type: 'module' }));
      writeFileSync(join(apiDir, 'app.js'), EXPRESS_APP);
      await Promise.all([
        npm(serverDir, 'install', '--prefer-offline', tarball('gatehouse-0')),
        npm(apiDir, 'install', '--prefer-offline', tarball('gatehouse-resource-server-'), `express@${EXPRESS_VERSION}`),
      ]);
      phase('installed');

      const env = { GATEHOUSE_DATABASE_URL: `sqlite:${join(dir, 'data', 'g.db')}`, HOST: '127.0.0.1', PORT: '0' };
      const server = await start('npx', ['gatehouse', 'serve', '--json'], serverDir, env);
      const { url } = JSON.parse(server.firstLine) as { url: string };
      assert.equal((await fetch(`${url}/healthz`)).status, 200);
      const discovery = (await (await fetch(`${url}/.well-known/oauth-authorization-server`)).json()) as Record<string, string>;
      assert.equal(discovery.introspection_endpoint, `${discovery.issuer}/oauth/v2/introspect`);

      const cli = async (...args: string[]) =>
        JSON.parse(
          (await run('npx', ['gatehouse', ...args, '--json'], { cwd: serverDir, env: { PATH: process.env.PATH ?? '', ...env } })).stdout,
        );
      await cli('user', 'create', '--email', 'ann@example.com', '--password', 'correct horse', '--first-name', 'Ann', '--last-name', 'Lee');
      const client = (await cli('client', 'create', '--owner', 'ann@example.com', '--type', 'self')) as Record<string, string>;
      const issued = await fetch(`${url}/oauth/v2/token`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.client_id!,
          client_secret: client.client_secret!,
          scope: 'ZohoCRM.modules.leads.READ',
        }),
      });
      assert.equal(issued.status, 200);
      const { access_token } = (await issued.json()) as { access_token: string };

      const api = await start('node', ['app.js'], apiDir, {
        INTROSPECTION_URL: `${url}/oauth/v2/introspect`,
        CLIENT_ID: client.client_id!,
        CLIENT_SECRET: client.client_secret!,
      });
      const leads = `http://127.0.0.1:${(JSON.parse(api.firstLine) as { port: number }).port}/leads`;
      const refused = await fetch(leads);
      assert.equal(refused.status, 401);
      assert.match(refused.headers.get('www-authenticate') ?? '', /^Bearer /);
      const served = await fetch(leads, { headers: { authorization: `Zoho-oauthtoken ${access_token}` } });
      assert.equal(served.status, 200, await served.clone().text());
      assert.ok(((await served.json()) as { owner: string }).owner);
    },
  );
});
