import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import { amrAfterAuthorization, enrollTotp, recoveryCodesOn, setupKey, signInWithCode, totpCode } from '../support/mfa.js';

const PASSWORD = 'correct horse battery';
const STEP_MS = 30_000;

describeEachStore('multi-factor sign-in', (get) => {
  /** A user with an authenticator app, added from the pages; the clock then moves past the enrollment's step. */
  async function enrolledUser() {
    const h = get();
    // Each test starts in new limit windows (every request here comes from 127.0.0.1).
    h.clock.current += SIGN_IN_LIMITS.perAddress.windowSeconds * 1000;
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl);
    await agent.signIn(user.email, PASSWORD);
    const { secret, recoveryCodes } = await enrollTotp(agent, h.clock.now());
    h.clock.current += STEP_MS;
    return { h, user, secret, recoveryCodes };
  }

  test('the setup page shows a QR code, the otpauth URI and the key; only a right code turns the app on', async () => {
    const h = get();
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl);
    await agent.signIn(user.email, PASSWORD);
    const setup = await agent.get('/account/security/totp');
    assert.match(setup.body, /<svg[^>]*viewBox/);
    const secret = setupKey(setup);
    assert.match(setup.body, new RegExp(`href="otpauth://totp/[^"]*secret=${secret}[^"]*"`));
    assert.match(setup.body, /algorithm=SHA1&amp;digits=6&amp;period=30/);
    const form = { csrf: setup.field('csrf'), return_to: '/account/security', enrollment: setup.field('enrollment') };
    const wrong = await agent.post('/account/security/totp', {
      ...form,
      code: '000000' === totpCode(secret, h.clock.now()) ? '111111' : '000000',
    });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /That code is not right/);
    assert.equal(setupKey(wrong), secret, 'a wrong code keeps the same key (the app has it already)');
    assert.equal(await h.storage.factors.findTotp(user.zuid), undefined, 'nothing stored before a right code');
    const done = await agent.post('/account/security/totp', { ...form, code: totpCode(secret, h.clock.now()) });
    assert.equal(done.status, 200);
    assert.match(done.body, /Save your recovery codes/);
    const stored = await h.storage.factors.findTotp(user.zuid);
    assert.ok(stored);
    assert.ok(!stored.sealedSecret.includes(secret), 'the secret is sealed at rest');
    const page = await agent.get('/account/security');
    assert.match(page.body, /Added \d{4}-\d\d-\d\d/);
    assert.match(page.body, /10 of 10 left/);
  });

  test('a setup ticket is for its own user only', async () => {
    const h = get();
    const [ann, bob] = [await h.user(), await h.user()];
    const annAgent = new BrowserAgent(h.baseUrl);
    await annAgent.signIn(ann.email, PASSWORD);
    const setup = await annAgent.get('/account/security/totp');
    const bobAgent = new BrowserAgent(h.baseUrl);
    await bobAgent.signIn(bob.email, PASSWORD);
    const bobForm = await bobAgent.get('/account/security');
    const stolen = await bobAgent.post('/account/security/totp', {
      csrf: bobForm.field('csrf'),
      enrollment: setup.field('enrollment'),
      code: totpCode(setupKey(setup), h.clock.now()),
    });
    assert.equal(stolen.status, 400);
    assert.match(stolen.body, /This setup expired/);
    assert.equal(await h.storage.factors.findTotp(bob.zuid), undefined);
  });

  test('after the password, no session until the code; then the authorization request in progress goes on', async () => {
    const { h, user, secret } = await enrolledUser();
    const client = await h.client(user, 'server');
    const authorize = `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: 'https://app.example.com/callback', scope: 'ZohoCRM.modules.ALL' })}`;
    const agent = new BrowserAgent(h.baseUrl);
    const afterPassword = await agent.signIn(user.email, PASSWORD, authorize);
    assert.equal(afterPassword.status, 303);
    assert.equal(agent.cookies.get('gh_session'), undefined, 'no session after the password alone');
    assert.match(afterPassword.headers.getSetCookie().join('\n'), /gh_signin=[^;]+;.*Max-Age=300.*HttpOnly.*SameSite=Lax/i);
    assert.equal((await agent.get(authorize)).status, 303, 'the authorization request still wants a sign-in');
    const form = await agent.get(afterPassword.location!);
    assert.match(form.body, /<input\s+id="code"[^>]*autocomplete="one-time-code"[^>]*inputmode="numeric"/);
    assert.match(form.body, /Use a recovery code/);
    const verified = await agent.post('/signin/verify', {
      csrf: form.field('csrf'),
      return_to: form.field('return_to'),
      method: 'totp',
      code: totpCode(secret, h.clock.now()),
    });
    assert.equal(verified.status, 303);
    assert.equal(verified.location, authorize);
    assert.ok(agent.cookies.get('gh_session'));
    assert.equal(agent.cookies.get('gh_signin'), undefined, 'the pending sign-in is over');
    const consent = await agent.get(authorize);
    assert.equal(consent.status, 200);
    assert.match(consent.body, /Test server app/);
  });

  test('a code is accepted once: replayed in the same step, or sent twice in parallel, it passes once', async () => {
    const { h, user, secret } = await enrolledUser();
    const code = totpCode(secret, h.clock.now());
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, code)).status, 303);
    const replayed = await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, code);
    assert.equal(replayed.status, 401);
    assert.match(replayed.body, /That code is not right/);

    h.clock.current += STEP_MS;
    const next = totpCode(secret, h.clock.now());
    const agents = Array.from({ length: 4 }, () => new BrowserAgent(h.baseUrl));
    const forms = await Promise.all(
      agents.map(async (agent) => {
        const afterPassword = await agent.signIn(user.email, PASSWORD);
        return agent.get(afterPassword.location!);
      }),
    );
    const answers = await Promise.all(
      agents.map((agent, i) => agent.post('/signin/verify', { csrf: forms[i]!.field('csrf'), method: 'totp', code: next })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [303, 401, 401, 401]);
  });

  test('codes of the step before and after are accepted (clock drift), two steps away are not', async () => {
    const { h, user, secret } = await enrolledUser();
    h.clock.current += 2 * STEP_MS; // past the steps the enrollment's code could have used
    const at = (steps: number) => totpCode(secret, h.clock.now() + steps * STEP_MS);
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, at(-2))).status, 401);
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, at(2))).status, 401);
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, at(-1))).status, 303);
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, at(1))).status, 303);
    assert.equal(
      (await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, at(0))).status,
      401,
      'a step before one already used is refused',
    );
  });

  test('a recovery code signs in once; the page counts what is left', async () => {
    const { h, user, recoveryCodes } = await enrolledUser();
    const [first] = recoveryCodes;
    const agent = new BrowserAgent(h.baseUrl);
    const used = await signInWithCode(agent, user.email, PASSWORD, first!.toUpperCase(), { method: 'recovery' });
    assert.equal(used.status, 303);
    assert.match((await agent.get('/account/security')).body, /9 of 10 left/);
    const again = await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, first!, { method: 'recovery' });
    assert.equal(again.status, 401);
    const asTotp = await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, recoveryCodes[1]!);
    assert.equal(asTotp.status, 401, 'a recovery code is no TOTP code');
  });

  test('the second step is audited: a wrong app code fails, a right one or a recovery code succeeds, by method', async () => {
    const { h, user, secret, recoveryCodes } = await enrolledUser();
    const wrong = totpCode(secret, h.clock.now() - 10 * STEP_MS);
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, wrong)).status, 401);
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, totpCode(secret, h.clock.now()))).status, 303);
    const recovery = await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, recoveryCodes[0]!, { method: 'recovery' });
    assert.equal(recovery.status, 303);
    const events = await h.storage.auditEvents.list({ userZuid: user.zuid, limit: 50 });
    const secondStep = events
      .filter((e) => e.type.startsWith('user.signin.mfa.'))
      .reverse()
      .map((e) => [e.type, e.outcome, e.detail, e.actor.id, e.subject]);
    assert.deepEqual(secondStep, [
      ['user.signin.mfa.failed', 'failure', 'totp', user.zuid, user.email],
      ['user.signin.mfa.succeeded', 'success', 'totp', user.zuid, user.email],
      ['user.signin.mfa.succeeded', 'success', 'recovery', user.zuid, user.email],
    ]);
  });

  test('wrong codes count against the password limits: past them even the right code, and the password, are refused', async () => {
    const { h, user, secret } = await enrolledUser();
    const agent = new BrowserAgent(h.baseUrl);
    const afterPassword = await agent.signIn(user.email, PASSWORD);
    const form = await agent.get(afterPassword.location!);
    const attempt = (code: string) => agent.post('/signin/verify', { csrf: form.field('csrf'), method: 'totp', code });
    // The right password gave its place back, so the account's whole limit is left for codes.
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.count; i++) assert.equal((await attempt('12345' + (i % 10))).status, 401);
    const refused = await attempt(totpCode(secret, h.clock.now()));
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
    assert.equal(agent.cookies.get('gh_session'), undefined);
    assert.equal((await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD)).status, 429, 'the same per-account limit');
    h.clock.current += SIGN_IN_LIMITS.perAccount.windowSeconds * 1000;
    assert.equal((await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, totpCode(secret, h.clock.now()))).status, 303);
  });

  test('the second step needs the ticket of the password step, from this browser, for five minutes', async () => {
    const { h, user, secret } = await enrolledUser();
    const stranger = new BrowserAgent(h.baseUrl);
    const form = await stranger.get('/signin');
    const forged = await stranger.post('/signin/verify', {
      csrf: form.field('csrf'),
      method: 'totp',
      code: totpCode(secret, h.clock.now()),
    });
    assert.equal(forged.status, 303);
    assert.match(forged.location!, /^\/signin\?return_to=/);
    stranger.cookies.set('gh_signin', 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z');
    assert.equal((await stranger.get('/signin/verify')).status, 303);

    const agent = new BrowserAgent(h.baseUrl);
    const afterPassword = await agent.signIn(user.email, PASSWORD);
    const verify = await agent.get(afterPassword.location!);
    const noToken = await agent.post('/signin/verify', { method: 'totp', code: totpCode(secret, h.clock.now()) });
    assert.equal(noToken.status, 403, 'the second step carries the CSRF token too');
    h.clock.current += 5 * 60_000 + 1;
    const late = await agent.post('/signin/verify', { csrf: verify.field('csrf'), method: 'totp', code: totpCode(secret, h.clock.now()) });
    assert.equal(late.status, 303);
    assert.match(late.location!, /^\/signin\?/);
    assert.equal(agent.cookies.get('gh_session'), undefined);
  });

  test('the id_token says how the user signed in (amr): pwd; pwd otp mfa after a code; pwd mfa after a recovery code', async () => {
    const { h, user, secret, recoveryCodes } = await enrolledUser();
    const client = await h.client(user, 'server');
    const amrIn = (agent: BrowserAgent) => amrAfterAuthorization(h, agent, client);
    const withCode = new BrowserAgent(h.baseUrl);
    assert.equal((await signInWithCode(withCode, user.email, PASSWORD, totpCode(secret, h.clock.now()))).status, 303);
    assert.deepEqual(await amrIn(withCode), ['pwd', 'otp', 'mfa']);
    const withRecovery = new BrowserAgent(h.baseUrl);
    await signInWithCode(withRecovery, user.email, PASSWORD, recoveryCodes[0]!, { method: 'recovery' });
    assert.deepEqual(await amrIn(withRecovery), ['pwd', 'mfa']);
    const other = await h.user();
    const withPassword = new BrowserAgent(h.baseUrl);
    await withPassword.signIn(other.email, PASSWORD);
    assert.deepEqual(await amrIn(withPassword), ['pwd']);
  });

  test('new recovery codes replace the old; removing the app asks for the password, then the password alone signs in', async () => {
    const { h, user, secret, recoveryCodes } = await enrolledUser();
    const agent = new BrowserAgent(h.baseUrl);
    assert.equal((await signInWithCode(agent, user.email, PASSWORD, totpCode(secret, h.clock.now()))).status, 303);
    const page = await agent.get('/account/security');
    const renewed = await agent.post('/account/security/recovery-codes', { csrf: page.field('csrf'), current_password: PASSWORD });
    assert.equal(renewed.status, 200);
    const fresh = recoveryCodesOn(renewed);
    assert.equal(fresh.length, 10);
    assert.ok(fresh.every((c) => !recoveryCodes.includes(c)));
    const old = await signInWithCode(new BrowserAgent(h.baseUrl), user.email, PASSWORD, recoveryCodes[0]!, { method: 'recovery' });
    assert.equal(old.status, 401, 'the old set is gone');

    const wrong = await agent.post('/account/security/totp/remove', { csrf: page.field('csrf'), current_password: 'not the password' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /The current password is not correct/);
    assert.ok(await h.storage.factors.findTotp(user.zuid));
    const removed = await agent.post('/account/security/totp/remove', { csrf: page.field('csrf'), current_password: PASSWORD });
    assert.equal(removed.status, 303);
    assert.match((await agent.get(removed.location!)).body, /The authenticator app was removed/);
    assert.equal(await h.storage.factors.findTotp(user.zuid), undefined);
    assert.deepEqual(await h.storage.factors.recoveryCodes(user.zuid), { left: 0, createdAt: null });
    const plain = await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD);
    assert.equal(plain.location, '/account/connected-apps');
  });
});
