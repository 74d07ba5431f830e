import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeJwt, type JWTPayload } from 'jose';
import { issueLogoutToken } from '../../src/core/logout/logout-token.js';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import { BrowserAgent, type Page } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import { enrollTotp, totpCode } from '../support/mfa.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';
const STEP_MS = 30_000;
const LOA_PASSWORD = 'urn:gatehouse:loa:1';
const LOA_MULTI_FACTOR = 'urn:gatehouse:loa:2';

function authUrl(client: RegisteredTestClient, extra: Record<string, string> = {}): string {
  return `/oauth/v2/auth?${new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid,email',
    state: 'st-1',
    nonce: 'n-1',
    ...extra,
  })}`;
}

/** The claims of the id_token the code in a redirect back to the application brings. */
async function idTokenOf(h: Harness, client: RegisteredTestClient, back: Page): Promise<JWTPayload> {
  const code = back.redirectParams().get('code');
  assert.ok(code, `expected a code, got ${back.location ?? back.status}`);
  const tokens = await h.exchange(client, code, { redirect_uri: REDIRECT });
  return decodeJwt(tokens.id_token!);
}

/** A user signed in with a password in a new browser, who has granted the client `openid email` once. */
async function grantedUser(h: Harness, client?: RegisteredTestClient) {
  // Each test starts in new limit windows (every request here comes from 127.0.0.1).
  h.clock.current += SIGN_IN_LIMITS.perAddress.windowSeconds * 1000;
  const user = await h.user();
  const app = client ?? (await h.client(user, 'server'));
  const agent = new BrowserAgent(h.baseUrl);
  assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
  const consent = await agent.get(authUrl(app));
  assert.equal(consent.status, 200, String(consent.location));
  const back = await agent.post('/oauth/v2/auth/consent', {
    csrf: consent.field('csrf'),
    interaction: consent.field('interaction'),
    decision: 'accept',
  });
  assert.equal(back.status, 303);
  return { user, client: app, agent };
}

/** Follows a redirect to the sign-in form and signs in there; returns the redirect back to the request. */
async function signInAt(agent: BrowserAgent, location: string, email: string): Promise<Page> {
  const form = await agent.get(location);
  assert.equal(form.status, 200, 'the sign-in form is shown');
  const back = await agent.post('/signin', { csrf: form.field('csrf'), return_to: form.field('return_to'), email, password: PASSWORD });
  assert.equal(back.status, 303);
  return back;
}

describeEachStore('OpenID Connect authentication requests', (get) => {
  test('display, claims_locales, ui_locales and unknown parameters are accepted and change nothing; no response_type is invalid_request at the redirect URI', async () => {
    const h = get();
    const { user, client, agent } = await grantedUser(h);
    const extras: Record<string, string>[] = [
      { display: 'page' },
      { display: 'popup' },
      { claims_locales: 'se' },
      { ui_locales: 'fr-CA' },
      { extra_parameter: 'ignored' },
    ];
    for (const extra of extras) {
      const back = await agent.get(authUrl(client, extra));
      assert.equal(back.status, 303, JSON.stringify(extra));
      const claims = await idTokenOf(h, client, back);
      assert.equal(claims.sub, user.zuid, JSON.stringify(extra));
      assert.equal(claims.nonce, 'n-1');
    }
    const missing = new URL(authUrl(client), 'http://x');
    missing.searchParams.delete('response_type');
    const refused = (await agent.get(missing.pathname + missing.search)).redirectParams();
    assert.equal(refused.get('error'), 'invalid_request');
    assert.equal(refused.get('state'), 'st-1');
    assert.equal(refused.get('code'), null);
  });

  test('prompt=login signs a signed-in user in again, then goes on once: no second prompt, auth_time of the new sign-in', async () => {
    const h = get();
    const { user, client, agent } = await grantedUser(h);
    h.clock.advance(600);

    const url = authUrl(client, { prompt: 'login' });
    const asked = await agent.get(url);
    assert.equal(asked.status, 303);
    assert.match(asked.location!, /^\/signin\?return_to=.*&prompt=login$/);
    const returnTo = new URL(asked.location!, h.baseUrl).searchParams.get('return_to')!;
    assert.match(returnTo, /sign_in_demand=/);

    // Coming back without signing in does not count: the session is the one the request found.
    const notYet = await agent.get(returnTo);
    assert.equal(notYet.status, 303);
    assert.match(notYet.location!, /^\/signin\?/);

    h.clock.advance(1);
    const signedInAt = h.clock.now();
    const back = await signInAt(agent, asked.location!, user.email);
    assert.equal(back.location, returnTo);
    const answered = await agent.get(back.location!);
    assert.equal(answered.status, 303);
    assert.ok(answered.location!.startsWith(`${REDIRECT}?`), `no loop: ${answered.location}`);
    const claims = await idTokenOf(h, client, answered);
    assert.equal(claims.auth_time, Math.floor(signedInAt / 1000));
    assert.equal(claims.acr, LOA_PASSWORD);

    // The mark is this request's only: another request (another state) with it still asks for a sign-in.
    const moved = returnTo.replace('state=st-1', 'state=st-2');
    assert.match((await agent.get(moved)).location!, /^\/signin\?.*prompt=login/);
    // And it is the server's: a made-up one is worth nothing.
    const forged = returnTo.replace(/sign_in_demand=[0-9]+/, `sign_in_demand=${h.clock.now() - 5000}`);
    assert.match((await agent.get(forged)).location!, /^\/signin\?.*prompt=login/);
  });

  test('prompt=login from a signed-out browser and select_account both take one fresh sign-in; another account may sign in', async () => {
    const h = get();
    const { client, agent } = await grantedUser(h);
    const other = await grantedUser(h, client);
    h.clock.advance(60);

    const anonymous = new BrowserAgent(h.baseUrl);
    const asked = await anonymous.get(authUrl(client, { prompt: 'login' }));
    assert.match(asked.location!, /^\/signin\?.*prompt=login/);
    h.clock.advance(1);
    const back = await signInAt(anonymous, asked.location!, other.user.email);
    const answered = await anonymous.get(back.location!);
    assert.ok(answered.location!.startsWith(`${REDIRECT}?`), `no loop: ${answered.location}`);
    assert.equal((await idTokenOf(h, client, answered)).sub, other.user.zuid);

    // select_account: Gatehouse has one session per browser, so choosing is signing in as whoever one chooses.
    const choose = await agent.get(authUrl(client, { prompt: 'select_account' }));
    assert.match(choose.location!, /^\/signin\?.*prompt=login/);
    h.clock.advance(1);
    const switched = await agent.get((await signInAt(agent, choose.location!, other.user.email)).location!);
    assert.equal((await idTokenOf(h, client, switched)).sub, other.user.zuid);
  });

  test('max_age: an older sign-in is made again (by its time, not the request), max_age=0 is prompt=login, prompt=none fails', async () => {
    const h = get();
    const { user, client, agent } = await grantedUser(h);
    const firstSignIn = h.clock.now();
    h.clock.advance(300);

    const young = await agent.get(authUrl(client, { max_age: '301' }));
    assert.ok(young.location!.startsWith(`${REDIRECT}?`), 'a sign-in 300 s old is young enough for max_age=301');
    assert.equal((await idTokenOf(h, client, young)).auth_time, Math.floor(firstSignIn / 1000));

    const none = await agent.get(authUrl(client, { max_age: '299', prompt: 'none' }));
    assert.equal(none.redirectParams().get('error'), 'login_required');

    const old = await agent.get(authUrl(client, { max_age: '299' }));
    assert.match(old.location!, /^\/signin\?.*prompt=login/);
    h.clock.advance(5);
    const again = h.clock.now();
    const answered = await agent.get((await signInAt(agent, old.location!, user.email)).location!);
    assert.equal((await idTokenOf(h, client, answered)).auth_time, Math.floor(again / 1000));

    h.clock.advance(1);
    assert.match((await agent.get(authUrl(client, { max_age: '0' }))).location!, /^\/signin\?.*prompt=login/);
    assert.equal((await agent.get(authUrl(client, { max_age: '0', prompt: 'none' }))).redirectParams().get('error'), 'login_required');
  });

  test('acr_values asking for multi-factor: a password-only session steps up through the second step, then goes on', async () => {
    const h = get();
    const { user, client, agent } = await grantedUser(h);
    const { secret } = await enrollTotp(agent, h.clock.now());
    h.clock.current += STEP_MS;

    const url = authUrl(client, { acr_values: LOA_MULTI_FACTOR });
    assert.equal(
      (await agent.get(authUrl(client, { acr_values: LOA_MULTI_FACTOR, prompt: 'none' }))).redirectParams().get('error'),
      'login_required',
    );
    const stepUp = await agent.get(url);
    assert.equal(stepUp.status, 303);
    assert.match(stepUp.location!, /^\/signin\/verify\?return_to=/);
    const form = await agent.get(stepUp.location!);
    assert.equal(form.status, 200);
    const verified = await agent.post('/signin/verify', {
      csrf: form.field('csrf'),
      return_to: form.field('return_to'),
      method: form.field('method'),
      code: totpCode(secret, h.clock.now()),
    });
    assert.equal(verified.status, 303);
    assert.equal(verified.location, url);
    const answered = await agent.get(url);
    assert.ok(answered.location!.startsWith(`${REDIRECT}?`), `no loop: ${answered.location}`);
    const claims = await idTokenOf(h, client, answered);
    assert.equal(claims.sub, user.zuid);
    assert.equal(claims.acr, LOA_MULTI_FACTOR);
    assert.deepEqual(claims.amr, ['pwd', 'otp', 'mfa']);
    assert.equal(claims.auth_time, Math.floor(h.clock.now() / 1000));

    // An essential acr claim asks the same; this session has the second factor now, so nothing more is asked.
    const essential = JSON.stringify({ id_token: { acr: { essential: true, values: [LOA_MULTI_FACTOR] } } });
    const again = await agent.get(authUrl(client, { claims: essential }));
    assert.equal((await idTokenOf(h, client, again)).acr, LOA_MULTI_FACTOR);
  });

  test('an essential acr claim steps up a password-only session too; a voluntary one does not', async () => {
    const h = get();
    const { client, agent } = await grantedUser(h);
    await enrollTotp(agent, h.clock.now());
    const voluntary = JSON.stringify({ id_token: { acr: { values: [LOA_MULTI_FACTOR] } } });
    assert.equal((await idTokenOf(h, client, await agent.get(authUrl(client, { claims: voluntary })))).acr, LOA_PASSWORD);
    const essential = JSON.stringify({ id_token: { acr: { essential: true, value: LOA_MULTI_FACTOR } } });
    assert.match((await agent.get(authUrl(client, { claims: essential }))).location!, /^\/signin\/verify\?/);
  });

  test('multi-factor for a user without a second factor is unmet_authentication_requirements; other acr values are met', async () => {
    const h = get();
    const { client, agent } = await grantedUser(h);
    const refused = await agent.get(authUrl(client, { acr_values: LOA_MULTI_FACTOR }));
    assert.equal(refused.redirectParams().get('error'), 'unmet_authentication_requirements');
    assert.equal(refused.redirectParams().get('state'), 'st-1');
    const essential = JSON.stringify({ id_token: { acr: { essential: true, values: [LOA_MULTI_FACTOR] } } });
    assert.equal(
      (await agent.get(authUrl(client, { claims: essential }))).redirectParams().get('error'),
      'unmet_authentication_requirements',
    );

    for (const acr_values of [`${LOA_MULTI_FACTOR} ${LOA_PASSWORD}`, 'phr', `phrh ${LOA_PASSWORD}`]) {
      const answered = await agent.get(authUrl(client, { acr_values }));
      assert.equal((await idTokenOf(h, client, answered)).acr, LOA_PASSWORD, acr_values);
    }
  });

  test('login_hint starts the email field, as text; it is used for nothing else', async () => {
    const h = get();
    const owner = await h.user();
    const client = await h.client(owner, 'server');
    const hint = '"><script>alert(1)</script>@example.com';
    const agent = new BrowserAgent(h.baseUrl);
    const start = await agent.get(authUrl(client, { login_hint: hint }));
    const form = await agent.get(start.location!);
    assert.equal(form.status, 200);
    assert.doesNotMatch(form.body, /<script>alert/);
    assert.match(form.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;@example.com"/);
    // Someone else signs in anyway: the hint decides nothing.
    const back = await agent.post('/signin', {
      csrf: form.field('csrf'),
      return_to: form.field('return_to'),
      email: owner.email,
      password: PASSWORD,
    });
    assert.equal(back.status, 303);
  });

  test('id_token_hint and a claims sub value: another user signed in is login_required; the hint is verified, expired or not', async () => {
    const h = get();
    const first = await grantedUser(h);
    const { client } = first;
    const hint = (
      await h.exchange(client, (await first.agent.get(authUrl(client))).redirectParams().get('code')!, { redirect_uri: REDIRECT })
    ).id_token!;
    const second = await grantedUser(h, client);

    const mismatch = await second.agent.get(authUrl(client, { prompt: 'none', id_token_hint: hint }));
    assert.equal(mismatch.redirectParams().get('error'), 'login_required');
    const claimed = JSON.stringify({ id_token: { sub: { value: first.user.zuid } } });
    assert.equal((await second.agent.get(authUrl(client, { claims: claimed }))).redirectParams().get('error'), 'login_required');

    h.clock.advance(2 * 3600); // the hint has expired; it still names its user
    const match = await first.agent.get(authUrl(client, { prompt: 'none', id_token_hint: hint }));
    assert.equal((await idTokenOf(h, client, match)).sub, first.user.zuid);

    const [header, payload, signature] = hint.split('.') as [string, string, string];
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...decodeJwt(hint), sub: second.user.zuid })).toString('base64url')}.${signature}`;
    const otherClient = await h.client(first.user, 'server');
    // Our own key and the same audience and subject, but a logout token: never a hint.
    const logoutToken = await issueLogoutToken(
      { clientId: client.clientId, sub: second.user.zuid, sid: null, alg: 'RS256' },
      { keys: h.gatehouse.signingKeys, issuer: h.gatehouse.config.issuer, now: h.clock.now },
    );
    for (const bad of [tampered, `${header}.${payload}.${signature.slice(0, -4)}AAAA`, logoutToken]) {
      const refused = await second.agent.get(authUrl(client, { prompt: 'none', id_token_hint: bad }));
      assert.equal(refused.redirectParams().get('error'), 'invalid_request');
    }
    const notForThisClient = await first.agent.get(authUrl(otherClient, { prompt: 'none', id_token_hint: hint }));
    assert.equal(notForThisClient.redirectParams().get('error'), 'invalid_request');
    const disagree = await first.agent.get(
      authUrl(client, { id_token_hint: hint, claims: JSON.stringify({ id_token: { sub: { value: second.user.zuid } } }) }),
    );
    assert.equal(disagree.redirectParams().get('error'), 'invalid_request');
  });

  test('prompt=none where a page must come first (a one-time password to replace) is interaction_required', async () => {
    const h = get();
    const { user, client, agent } = await grantedUser(h);
    const stored = (await h.storage.users.findByZuid(user.zuid))!;
    await h.storage.users.updatePassword(user.zuid, stored.passwordHash, true);
    assert.equal((await agent.get(authUrl(client, { prompt: 'none' }))).redirectParams().get('error'), 'interaction_required');
    assert.match((await agent.get(authUrl(client))).location!, /^\/account\/password\?/);
  });

  test('the claims parameter: standard claims follow the granted scopes, in the id_token and at userinfo; ui_locales is ignored', async () => {
    const h = get();
    const { user, client, agent } = await grantedUser(h);
    const claims = JSON.stringify({
      id_token: { email: { essential: true }, name: null, auth_time: { essential: true }, unknown_claim: null },
      userinfo: { email: null, given_name: null },
    });
    const openidOnly = await agent.get(authUrl(client, { scope: 'openid', claims, ui_locales: 'fr-CA de' }));
    const code = openidOnly.redirectParams().get('code')!;
    const tokens = await h.exchange(client, code, { redirect_uri: REDIRECT });
    const idToken = decodeJwt(tokens.id_token!);
    assert.equal(idToken.email, undefined, 'the scope openid does not release the address');
    assert.equal(typeof idToken.auth_time, 'number');
    const info = await h.request('/oauth/v2/userinfo', { headers: { authorization: `Bearer ${tokens.access_token}` } });
    assert.deepEqual(info.body, { sub: user.zuid });

    const withEmail = await idTokenOf(h, client, await agent.get(authUrl(client, { claims })));
    assert.equal(withEmail.email, user.email);
  });
});

describeEachStore(
  'OpenID Connect authentication requests under GATEHOUSE_REQUIRE_MFA=all',
  (get) => {
    test('multi-factor asked of a user the policy sends to add a factor: the factor page first (interaction_required with prompt=none), not unmet_authentication_requirements', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const agent = new BrowserAgent(h.baseUrl);
      assert.match((await agent.signIn(user.email, PASSWORD)).location!, /^\/account\/security\/totp\?/);
      const asked = await agent.get(authUrl(client, { acr_values: LOA_MULTI_FACTOR }));
      assert.match(asked.location!, /^\/account\/security\/totp\?return_to=%2Foauth%2Fv2%2Fauth/);
      const none = await agent.get(authUrl(client, { acr_values: LOA_MULTI_FACTOR, prompt: 'none' }));
      assert.equal(none.redirectParams().get('error'), 'interaction_required');
    });
  },
  { requireMfa: 'all' },
);
