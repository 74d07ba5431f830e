import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import { USER_CODE_ATTEMPTS } from '../../src/core/device/answer.js';
import { BrowserAgent, type Page } from '../support/browser-agent.js';
import { enrollTotp, totpCode } from '../support/mfa.js';
import { describeEachDeployment, newAddress } from './deployments.js';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong horse battery';

/** How many of a burst of responses did the expensive check (any answer but the limit's 429). */
const checked = (pages: Page[]) => pages.filter((p) => p.status !== 429).length;
const tally = (pages: Page[]) => pages.reduce<Record<number, number>>((t, p) => ({ ...t, [p.status]: (t[p.status] ?? 0) + 1 }), {});

/** One browser per guess (as an attacker would), each with its sign-in form, all from `address`. */
async function signInForms(baseUrl: string, address: string, count: number) {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const agent = new BrowserAgent(baseUrl, { 'x-forwarded-for': address });
      const form = await agent.get('/signin');
      return { agent, csrf: form.field('csrf') };
    }),
  );
}

describeEachDeployment('hostile: parallel guesses against every limit', (get) => {
  test('40 parallel sign-ins for one account (39 wrong, the right one last) check at most 5 passwords', async () => {
    const h = get();
    const user = await h.user();
    const forms = await signInForms(h.baseUrl, newAddress(), 40);
    const results = await Promise.all(
      forms.map(({ agent, csrf }, i) => agent.post('/signin', { csrf, email: user.email, password: i === 39 ? PASSWORD : WRONG })),
    );
    const limit = SIGN_IN_LIMITS.perAccount.count;
    assert.ok(checked(results) <= limit, `passwords checked: ${checked(results)} of 40 (${JSON.stringify(tally(results))})`);
    assert.equal(checked(results), limit, 'the limit is used up exactly, not undercounted');
    // The right password after the limit is refused until the window ends, from any address.
    const [late] = await signInForms(h.baseUrl, newAddress(), 1);
    const refused = await late!.agent.post('/signin', { csrf: late!.csrf, email: user.email, password: PASSWORD });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(late!.agent.cookies.get('gh_session'), undefined, 'no session');
  });

  test('one address guessing across many accounts checks at most the per-address limit', async () => {
    const h = get();
    const address = newAddress();
    const limit = SIGN_IN_LIMITS.perAddress.count;
    const forms = await signInForms(h.baseUrl, address, limit + 20);
    const results = await Promise.all(
      forms.map(({ agent, csrf }, i) => agent.post('/signin', { csrf, email: `nobody-${i}-${address}@example.com`, password: WRONG })),
    );
    assert.equal(checked(results), limit, JSON.stringify(tally(results)));
  });

  test('an IPv6 client counts as its /64: guesses from 70 addresses of one /64 check at most the per-address limit', async () => {
    const h = get();
    const prefix = `2001:db8:${randomBytes(2).toString('hex')}:${randomBytes(2).toString('hex')}`;
    const limit = SIGN_IN_LIMITS.perAddress.count;
    const forms = await Promise.all(
      Array.from({ length: limit + 20 }, async (_, i) => {
        const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': `${prefix}::${(i + 1).toString(16)}` });
        return { agent, csrf: (await agent.get('/signin')).field('csrf') };
      }),
    );
    const results = await Promise.all(
      forms.map(({ agent, csrf }, i) => agent.post('/signin', { csrf, email: `nobody-${i}-${prefix}@example.com`, password: WRONG })),
    );
    assert.equal(checked(results), limit, JSON.stringify(tally(results)));
  });

  test('a right password gives its place back: a user who signs in often is not locked out by it', async () => {
    const h = get();
    const user = await h.user();
    const address = newAddress();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.count + 3; i++) {
      const signedIn = await new BrowserAgent(h.baseUrl, { 'x-forwarded-for': address }).signIn(user.email, PASSWORD);
      assert.equal(signedIn.status, 303, `sign-in ${i + 1}`);
    }
  });

  test('40 parallel guesses at the current password (a stolen session) check at most 5', async () => {
    const h = get();
    const user = await h.user();
    const address = newAddress();
    const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': address });
    assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
    const form = await agent.get('/account/password');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        agent.post('/account/password', {
          csrf: form.field('csrf'),
          current_password: `${WRONG} ${i}`,
          new_password: 'a new horse battery',
          confirm_password: 'a new horse battery',
        }),
      ),
    );
    assert.equal(checked(results), SIGN_IN_LIMITS.perAccount.count, JSON.stringify(tally(results)));
    // The same budget as sign-in: the account is now locked there too.
    const [late] = await signInForms(h.baseUrl, newAddress(), 1);
    assert.equal((await late!.agent.post('/signin', { csrf: late!.csrf, email: user.email, password: PASSWORD })).status, 429);
  });

  test('40 parallel wrong second-factor codes after a right password check at most 5 (the same limit as passwords)', async () => {
    const h = get();
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    await agent.signIn(user.email, PASSWORD);
    const { secret } = await enrollTotp(agent, h.clock.now());
    const browser = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    const afterPassword = await browser.signIn(user.email, PASSWORD);
    const form = await browser.get(afterPassword.location!);
    const right = totpCode(secret, h.clock.now() + 30_000);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 1_000_000).padStart(6, '0');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => browser.post('/signin/verify', { csrf: form.field('csrf'), method: 'totp', code: wrong(i) })),
    );
    assert.equal(checked(results), SIGN_IN_LIMITS.perAccount.count, JSON.stringify(tally(results)));
    assert.equal(browser.cookies.get('gh_session'), undefined, 'no session');
  });

  test('30 parallel device user codes check at most the code-entry limit', async () => {
    const h = get();
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
    const entry = await agent.get('/oauth/v3/device');
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: `ABCD-${String(1000 + i).slice(-4)}` }),
      ),
    );
    assert.equal(checked(results), USER_CODE_ATTEMPTS.count, JSON.stringify(tally(results)));
  });

  test('30 parallel refreshes of one token mint exactly the refresh rate (10 per 10 minutes)', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server');
    const { refresh_token } = await h.exchange(client, await h.webCode(client.clientId, user), { redirect_uri: client.redirectUris[0]! });
    const results = await Promise.all(Array.from({ length: 30 }, () => h.refresh(client, refresh_token!)));
    const minted = results.filter((r) => r.status === 200);
    assert.equal(minted.length, h.gatehouse.config.limits.refreshRate!.count, JSON.stringify(results.map((r) => r.status)));
    assert.ok(results.every((r) => r.status === 200 || r.status === 429 || r.status === 400));
  });

  test('30 parallel Self Client codes mint exactly the code rate (10 per 10 minutes)', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'self');
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, () => h.selfClientCode(client.clientId)));
    const minted = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(minted.length, h.gatehouse.config.limits.codeRate!.count);
  });
});
