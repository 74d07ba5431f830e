import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { gatehouse } from '../cli/cli-runner.js';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { describeEachStore } from '../support/each-store.js';
import { PASSWORD, UserBrowser } from './user-browser.js';

/** Longer than the other browser tests: besides Chromium and a sign-in, it starts the CLI five times. */
const TEST_OPTIONS = { timeout: 120_000 };

const BIN = new URL('../../../bin/gatehouse.js', import.meta.url).pathname;
const env = { PATH: process.env.PATH ?? '' };

/** Starts `gatehouse login … --no-browser` and resolves with the authorization URL it prints, and its exit. */
async function startLogin(args: string[]): Promise<{ url: string; finished: Promise<{ code: number; stdout: string; stderr: string }> }> {
  const child = spawn(process.execPath, [BIN, 'login', '--no-browser', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      stdout += `${line}\n`;
      if (line.startsWith('http')) resolve(line);
    });
    exited.then(() => reject(new Error(`login exited before printing a URL: ${stdout} ${stderr}`)));
  });
  return { url, finished: exited.then(([code]) => ({ code: code as number, stdout, stderr })) };
}

const skip = chromiumUnavailable();
if (skip) describe('e2e: gatehouse login --spec', { skip }, () => {});
else
  describeEachStore(
    'e2e: gatehouse login --spec against a live Gatehouse, with Chromium signing in',
    (get) => {
      let browser: Browser;
      before(async () => {
        browser = await launchChromium();
      });
      after(() => browser.close());

      test('login through the loopback redirect, whoami, then token refreshes through the refresh URL', TEST_OPTIONS, async () => {
        const h = get();
        const user = await h.user();
        const client = await h.client(user, 'server', ['http://127.0.0.1/callback']);
        const dir = mkdtempSync(join(tmpdir(), 'gatehouse-zest-login-'));
        const spec = join(dir, 'gatehouse.xml');
        writeFileSync(spec, await (await fetch(`${h.baseUrl}/.well-known/zest/authentication-schema.xml`)).text());
        const tokenFile = join(dir, 'tokens', 'gatehouse.json');
        const files = ['--spec', spec, '--token-file', tokenFile];

        const login = await startLogin([
          ...files,
          '--client-id',
          client.clientId,
          '--client-secret',
          client.clientSecret!,
          '--scope',
          'ZohoCRM.modules.leads.READ',
        ]);
        const authorization = new URL(login.url);
        assert.equal(authorization.origin + authorization.pathname, `${h.baseUrl}/oauth/v2/auth`);
        const redirectUri = new URL(authorization.searchParams.get('redirect_uri')!);
        assert.match(redirectUri.href, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
        assert.equal(authorization.searchParams.get('code_challenge_method'), 'S256');
        assert.ok(authorization.searchParams.get('state'));
        assert.equal(authorization.searchParams.get('scope'), 'ZohoCRM.modules.leads.READ,AaaServer.profile.READ');

        const b = await UserBrowser.open(browser, h);
        try {
          b.allowOrigin(redirectUri.origin);
          await b.page.goto(login.url);
          await b.expectAt('/signin');
          await b.submitSignIn(user.email, PASSWORD);
          await b.expectAt('/oauth/v2/auth');
          await b.clickAndLoad(b.page.getByRole('button', { name: 'Accept', exact: true }));
          assert.ok(b.page.url().startsWith(`${redirectUri.href}?`), `at the loopback redirect: ${await b.describePage()}`);
          assert.match((await b.page.textContent('body')) ?? '', /Signed in\./);
        } finally {
          await b.close();
        }

        const finished = await login.finished;
        assert.equal(finished.code, 0, finished.stderr);
        assert.match(finished.stdout, /Signed in to gatehouse\. Tokens saved to /);
        assert.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the token file is readable by its owner only');
        const stored = JSON.parse(readFileSync(tokenFile, 'utf8'));
        assert.ok(stored.refresh_token, 'access_type=offline brought a refresh token');
        assert.ok(await h.accessTokenWorks(stored.access_token));

        const whoami = await gatehouse(env, 'whoami', ...files);
        assert.equal(whoami.code, 0, whoami.stderr);
        assert.equal(whoami.json.user.Email, user.email);
        assert.equal(whoami.json.user.ZUID, Number(user.zuid));

        const fresh = await gatehouse(env, 'token', ...files);
        assert.deepEqual([fresh.json.access_token, fresh.json.refreshed], [stored.access_token, false], 'still fresh: no refresh');

        // Near expiry: the next `token` goes through the refresh URL.
        writeFileSync(tokenFile, JSON.stringify({ ...stored, expires_at: Math.floor(Date.now() / 1000) + 30 }));
        const refreshed = await gatehouse(env, 'token', ...files);
        assert.equal(refreshed.code, 0, refreshed.stderr);
        assert.equal(refreshed.json.refreshed, true);
        assert.notEqual(refreshed.json.access_token, stored.access_token);
        assert.ok(await h.accessTokenWorks(refreshed.json.access_token), 'the refreshed token works');
        const rewritten = JSON.parse(readFileSync(tokenFile, 'utf8'));
        assert.equal(rewritten.refresh_token, stored.refresh_token, 'the refresh token is kept (not rotated)');
        assert.equal(rewritten.access_token, refreshed.json.access_token);
        assert.equal(statSync(tokenFile).mode & 0o777, 0o600);

        // For scripts: without --json, the token and nothing else.
        const { stdout } = await promisify(execFile)(process.execPath, [BIN, 'token', ...files], { env });
        assert.equal(stdout, `${refreshed.json.access_token}\n`);
      });
    },
    { issuer: 'base-url', limits: { codeRate: null } },
  );
