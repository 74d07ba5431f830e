import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import type { AuditEventType } from '../../src/core/audit/audit-log.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import {
  addPasskey,
  amrAfterAuthorization,
  enrollTotp,
  passkeyOptions,
  RIGHT_CLAIMS,
  signInWithPasskeyAlone,
  signInWithPasskeyStep,
  totpCode,
} from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

const PASSWORD = 'correct horse battery';
const CHALLENGE_MS = 5 * 60_000;

/** The newest audit events of a type about a user (detail included). */
async function events(h: Harness, userZuid: string, type: AuditEventType) {
  return (await h.storage.auditEvents.list({ userZuid, type, limit: 20 })).map((e) => ({ subject: e.subject, detail: e.detail }));
}

describeEachStore('passkeys', (get) => {
  /** A signed-in user in fresh limit windows (every request here comes from 127.0.0.1). */
  async function signedIn() {
    const h = get();
    h.clock.current += SIGN_IN_LIMITS.perAddress.windowSeconds * 1000;
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl);
    await agent.signIn(user.email, PASSWORD);
    return { h, user, agent };
  }

  /** A user with one passkey, added from the security page. */
  async function withPasskey(counter = 0) {
    const { h, user, agent } = await signedIn();
    const authenticator = new SoftAuthenticator({ counter });
    const added = await addPasskey(agent, authenticator, RIGHT_CLAIMS, 'Work laptop');
    assert.equal(added.status, 303, added.body.slice(0, 300));
    return { h, user, agent, authenticator };
  }

  test('adding a passkey: listed with its name, when added and last used; audited; the admin views count it', async () => {
    const { h, user, agent, authenticator } = await withPasskey();
    const page = await agent.get('/account/security?done=passkey-added');
    assert.match(page.body, /The passkey was added/);
    assert.match(page.body, /<strong class="passkey-name">Work laptop<\/strong>/);
    assert.match(page.body, /Added \d{4}-\d\d-\d\d[^<]*, not used yet/);
    const stored = await h.storage.passkeys.find(authenticator.credentialId);
    assert.equal(stored?.userZuid, user.zuid);
    assert.deepEqual(stored?.transports, ['internal']);
    assert.deepEqual(await events(h, user.zuid, 'user.passkey.added'), [
      { subject: `Work laptop (${authenticator.credentialId.slice(0, 8)}…)`, detail: null },
    ]);
    const unnamed = await addPasskey(agent, new SoftAuthenticator());
    assert.equal(unnamed.status, 303);
    assert.match((await agent.get('/account/security')).body, /Passkey on this device/, 'a name from how the authenticator is reached');
    const again = await addPasskey(agent, authenticator);
    assert.equal(again.status, 409, 'the same authenticator twice');
  });

  test('registration is refused for a wrong origin, a wrong RP ID, no user verification, a replayed or expired challenge', async () => {
    const { h, user, agent } = await signedIn();
    const refused = async (claims: typeof RIGHT_CLAIMS, why: string) => {
      const answer = await addPasskey(agent, new SoftAuthenticator(), claims);
      assert.equal(answer.status, 400, why);
      assert.match(answer.body, /The passkey could not be added/, why);
    };
    await refused({ ...RIGHT_CLAIMS, origin: 'https://evil.example' }, 'wrong origin');
    await refused({ ...RIGHT_CLAIMS, origin: 'http://gatehouse.test:8080' }, 'another port is another origin');
    await refused({ ...RIGHT_CLAIMS, rpId: 'evil.example' }, 'wrong RP ID');
    await refused({ ...RIGHT_CLAIMS, userVerified: false }, 'no user verification');

    const page = await agent.get('/account/security');
    const options = await passkeyOptions(agent, '/account/security/passkeys/options', page);
    const authenticator = new SoftAuthenticator();
    const answer = authenticator.register(options, RIGHT_CLAIMS);
    assert.equal((await agent.post('/account/security/passkeys', { csrf: page.field('csrf'), passkey_response: answer })).status, 303);
    const replay = await agent.post('/account/security/passkeys', {
      csrf: page.field('csrf'),
      passkey_response: new SoftAuthenticator().register(options, RIGHT_CLAIMS),
    });
    assert.equal(replay.status, 400, 'a challenge answers once');

    const late = await passkeyOptions(agent, '/account/security/passkeys/options', page);
    h.clock.current += CHALLENGE_MS + 1;
    const expired = await agent.post('/account/security/passkeys', {
      csrf: page.field('csrf'),
      passkey_response: new SoftAuthenticator().register(late, RIGHT_CLAIMS),
    });
    assert.equal(expired.status, 400, 'an expired challenge');
    assert.equal(await h.storage.passkeys.countForUser(user.zuid), 1);

    const other = new BrowserAgent(h.baseUrl);
    const stranger = await h.user();
    await other.signIn(stranger.email, PASSWORD);
    const strangerPage = await other.get('/account/security');
    const mine = await passkeyOptions(agent, '/account/security/passkeys/options', page);
    const stolen = await other.post('/account/security/passkeys', {
      csrf: strangerPage.field('csrf'),
      passkey_response: new SoftAuthenticator().register(mine, RIGHT_CLAIMS),
    });
    assert.equal(stolen.status, 400, "a challenge issued to another user's session");
    assert.equal(await h.storage.passkeys.countForUser(stranger.zuid), 0);
  });

  test('a passkey as the second step: no session before it, then the authorization request goes on; amr pwd hwk mfa', async () => {
    const { h, user, authenticator } = await withPasskey();
    const agent = new BrowserAgent(h.baseUrl);
    const afterPassword = await agent.signIn(user.email, PASSWORD);
    assert.match(afterPassword.location!, /^\/signin\/verify\?/);
    const step = await agent.get(afterPassword.location!);
    assert.match(step.body, /data-passkey="authenticate"/, 'a user with only a passkey is asked for it');
    assert.equal(agent.cookies.get('gh_session'), undefined);
    const options = await passkeyOptions(agent, '/signin/verify/passkey/options', step);
    assert.deepEqual(
      (options as unknown as { allowCredentials: Array<{ id: string }> }).allowCredentials.map((c) => c.id),
      [authenticator.credentialId],
    );
    const done = await agent.post('/signin/verify', {
      csrf: step.field('csrf'),
      return_to: step.field('return_to'),
      method: 'passkey',
      passkey_response: authenticator.authenticate(options, { ...RIGHT_CLAIMS, userVerified: false }),
    });
    assert.equal(done.status, 303, 'presence is enough after the password');
    assert.deepEqual(await amrAfterAuthorization(h, agent, await h.client(user, 'server')), ['pwd', 'hwk', 'mfa']);
    assert.deepEqual((await events(h, user.zuid, 'user.signin.mfa.succeeded'))[0], { subject: user.email, detail: 'passkey' });
    assert.notEqual((await h.storage.passkeys.find(authenticator.credentialId))!.lastUsedAt, null);
  });

  test("second step: a replayed assertion, another user's passkey and a counter that goes back are refused (audited)", async () => {
    const { h, user, authenticator } = await withPasskey(10);
    const agent = new BrowserAgent(h.baseUrl);
    authenticator.counter = 11;
    const first = await signInWithPasskeyStep(agent, user.email, PASSWORD, authenticator);
    assert.equal(first.status, 303);

    const replayer = new BrowserAgent(h.baseUrl);
    const afterPassword = await replayer.signIn(user.email, PASSWORD);
    const form = await replayer.get(`${afterPassword.location!}&method=passkey`);
    const options = await passkeyOptions(replayer, '/signin/verify/passkey/options', form);
    authenticator.counter = 12;
    const answer = authenticator.authenticate(options, RIGHT_CLAIMS);
    const post = () =>
      replayer.post('/signin/verify', {
        csrf: form.field('csrf'),
        return_to: form.field('return_to'),
        method: 'passkey',
        passkey_response: answer,
      });
    assert.equal((await post()).status, 303);
    replayer.cookies.delete('gh_session');
    const again = await replayer.signIn(user.email, PASSWORD);
    assert.equal(again.status, 303);
    const replayed = await post();
    assert.equal(replayed.status, 401, 'the same assertion twice');
    assert.match(replayed.body, /That passkey did not work/);

    const mallory = await h.user();
    const malloryAgent = new BrowserAgent(h.baseUrl);
    await malloryAgent.signIn(mallory.email, PASSWORD);
    assert.equal((await addPasskey(malloryAgent, new SoftAuthenticator())).status, 303);
    const foreign = await signInWithPasskeyStep(new BrowserAgent(h.baseUrl), mallory.email, PASSWORD, authenticator);
    assert.equal(foreign.status, 401, "another user's passkey does not answer for her");
    assert.deepEqual(
      (await events(h, mallory.zuid, 'user.signin.mfa.failed')).map((e) => e.detail),
      ['passkey:unknown_passkey'],
    );

    authenticator.counter = 3;
    const cloned = await signInWithPasskeyStep(new BrowserAgent(h.baseUrl), user.email, PASSWORD, authenticator);
    assert.equal(cloned.status, 401);
    const failures = await events(h, user.zuid, 'user.signin.mfa.failed');
    assert.deepEqual(
      failures.map((e) => e.detail),
      ['passkey:counter_regression', 'passkey:challenge'],
    );
    assert.equal((await h.storage.passkeys.find(authenticator.credentialId))!.counter, 12, 'the counter stays where it was');
  });

  test('failed passkeys on the second step count against the password limits; past them even the right one is refused', async () => {
    const { h, user, authenticator } = await withPasskey();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.count; i++) {
      const wrong = await signInWithPasskeyStep(new BrowserAgent(h.baseUrl), user.email, PASSWORD, authenticator, {
        claims: { ...RIGHT_CLAIMS, origin: 'https://evil.example' },
      });
      assert.equal(wrong.status, 401, `attempt ${i}`);
    }
    const agent = new BrowserAgent(h.baseUrl);
    const afterPassword = await agent.signIn(user.email, PASSWORD);
    assert.equal(afterPassword.status, 429, 'the account is past its limit: the password is refused too');
  });

  test('passwordless: "Sign in with a passkey" needs user verification, goes on to the authorization request; amr hwk user mfa', async () => {
    const { h, user, authenticator } = await withPasskey();
    const page = await new BrowserAgent(h.baseUrl).get('/signin');
    assert.match(page.body, /Sign in with a passkey/);
    assert.match(page.body, /<script src="\/assets\/webauthn.js" defer><\/script>\s*<script src="\/assets\/passkeys.js" defer><\/script>/);

    const withoutUv = await signInWithPasskeyAlone(new BrowserAgent(h.baseUrl), authenticator, {
      claims: { ...RIGHT_CLAIMS, userVerified: false },
    });
    assert.equal(withoutUv.status, 401);
    assert.match(withoutUv.body, /That passkey did not sign you in/);

    const agent = new BrowserAgent(h.baseUrl);
    const returnTo = '/account/security';
    const done = await signInWithPasskeyAlone(agent, authenticator, { returnTo });
    assert.equal(done.status, 303);
    assert.equal(done.location, returnTo);
    assert.deepEqual(await amrAfterAuthorization(h, agent, await h.client(user, 'server')), ['hwk', 'user', 'mfa']);
    assert.deepEqual(
      (await h.storage.auditEvents.list({ userZuid: user.zuid, type: 'user.signin.passkey.succeeded', limit: 5 })).length,
      1,
    );
    const failed = await h.storage.auditEvents.list({ userZuid: user.zuid, type: 'user.signin.passkey.failed', limit: 5 });
    assert.deepEqual(
      failed.map((e) => e.detail),
      ['verification'],
    );

    const form = await new BrowserAgent(h.baseUrl).get('/signin');
    const stale = new BrowserAgent(h.baseUrl);
    const staleForm = await stale.get('/signin');
    const options = await passkeyOptions(stale, '/signin/passkey/options', staleForm);
    h.clock.current += CHALLENGE_MS + 1;
    const expired = await stale.post('/signin/passkey', {
      csrf: staleForm.field('csrf'),
      return_to: '/',
      passkey_response: authenticator.authenticate(options, RIGHT_CLAIMS),
    });
    assert.equal(expired.status, 401, 'an expired challenge');
    assert.equal(stale.cookies.get('gh_session'), undefined);
    assert.ok(form);
  });

  test('passwordless attempts take from the address limit that password guesses take from: no way around it', async () => {
    const { h, user } = await signedIn();
    const agent = new BrowserAgent(h.baseUrl);
    const form = await agent.get('/signin');
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress.count; i++) {
      const bad = await agent.post('/signin/passkey', { csrf: form.field('csrf'), passkey_response: '{"id":"x","response":{}}' });
      assert.equal(bad.status, 401, `attempt ${i}`);
    }
    const throttled = await agent.post('/signin/passkey', { csrf: form.field('csrf'), passkey_response: '{}' });
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
    const password = await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD);
    assert.equal(password.status, 429, 'the password from the same address is refused too');
  });

  test('removing a factor asks for the password or a current factor (an app code, a passkey); audited', async () => {
    const { h, user, agent, authenticator } = await withPasskey();
    const { secret } = await enrollTotp(agent, h.clock.now());
    h.clock.current += 30_000;
    const page = await agent.get('/account/security');
    const remove = (path: string, form: Record<string, string>) => agent.post(path, { csrf: page.field('csrf'), ...form });

    const wrong = await remove('/account/security/recovery-codes/remove', { current_password: 'not it' });
    assert.equal(wrong.status, 400);
    assert.equal((await h.storage.factors.recoveryCodes(user.zuid)).left, 10, 'nothing removed');
    const byCode = await remove('/account/security/recovery-codes/remove', { current_code: totpCode(secret, h.clock.now()) });
    assert.equal(byCode.status, 303, byCode.body.slice(0, 300));
    assert.equal((await h.storage.factors.recoveryCodes(user.zuid)).left, 0);
    const reused = await remove('/account/security/totp/remove', { current_code: totpCode(secret, h.clock.now()) });
    assert.equal(reused.status, 400, 'a code proves once');
    assert.ok(await h.storage.factors.findTotp(user.zuid));

    const confirm = await passkeyOptions(agent, '/account/security/confirm/options', page);
    const byPasskey = await remove('/account/security/totp/remove', {
      passkey_response: authenticator.authenticate(confirm, RIGHT_CLAIMS),
    });
    assert.equal(byPasskey.status, 303);
    assert.equal(await h.storage.factors.findTotp(user.zuid), undefined);

    const byPassword = await remove('/account/security/passkeys/remove', {
      credential_id: authenticator.credentialId,
      current_password: PASSWORD,
    });
    assert.equal(byPassword.status, 303);
    assert.equal(byPassword.location, '/account/security?done=passkey-removed');
    assert.equal(await h.storage.passkeys.countForUser(user.zuid), 0);
    assert.deepEqual(
      (await events(h, user.zuid, 'user.mfa.removed')).map((e) => e.detail),
      ['totp', 'recovery-codes'],
    );
    assert.equal((await events(h, user.zuid, 'user.passkey.removed')).length, 1);
  });
});

describeEachStore(
  'passkeys under GATEHOUSE_REQUIRE_MFA=all',
  (get) => {
    test('a user the policy covers keeps one factor: removing the last is refused, saying why; with two, one goes', async () => {
      const h = get();
      const user = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      const first = await agent.signIn(user.email, PASSWORD);
      assert.match(first.location!, /^\/account\/security\/totp/, 'sent to add a factor first');
      const authenticator = new SoftAuthenticator();
      assert.equal((await addPasskey(agent, authenticator)).status, 303, 'a passkey satisfies the policy');
      assert.equal((await agent.get('/account/connected-apps')).status, 200, 'no detour any more');
      const page = await agent.get('/account/security');
      const last = await agent.post('/account/security/passkeys/remove', {
        csrf: page.field('csrf'),
        credential_id: authenticator.credentialId,
        current_password: PASSWORD,
      });
      assert.equal(last.status, 409);
      assert.match(last.body, /This server requires a second step for your account/);
      assert.equal(await h.storage.passkeys.countForUser(user.zuid), 1);

      const second = new SoftAuthenticator();
      assert.equal((await addPasskey(agent, second)).status, 303);
      const one = await agent.post('/account/security/passkeys/remove', {
        csrf: page.field('csrf'),
        credential_id: authenticator.credentialId,
        current_password: PASSWORD,
      });
      assert.equal(one.status, 303);
      assert.equal(await h.storage.passkeys.countForUser(user.zuid), 1);

      const alone = await signInWithPasskeyAlone(new BrowserAgent(h.baseUrl), second, { returnTo: '/account/connected-apps' });
      assert.equal(alone.location, '/account/connected-apps', 'a passkey sign-in satisfies the policy: no detour');
    });
  },
  { requireMfa: 'all' },
);

describeEachStore(
  'passkeys on an issuer that is an IP address',
  (get) => {
    test('are not offered, and the security page says why', async () => {
      const h = get();
      const user = await h.user();
      const agent = new BrowserAgent(h.baseUrl);
      const signIn = await agent.get('/signin');
      assert.doesNotMatch(signIn.body, /passkey/i);
      await agent.signIn(user.email, PASSWORD);
      const page = await agent.get('/account/security');
      assert.match(page.body, /browsers allow passkeys only on a host name/);
      assert.doesNotMatch(page.body, /data-passkey/);
      const options = await agent.post('/account/security/passkeys/options', { csrf: page.field('csrf') });
      assert.equal(options.status, 400);
    });
  },
  { issuer: 'base-url' },
);
