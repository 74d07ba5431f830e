import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import type { ClientFields } from '../../src/core/clients/validate-client.js';
import { BACKCHANNEL_LOGOUT_EVENT, issueLogoutToken } from '../../src/core/logout/logout-token.js';
import { purgeExpired } from '../../src/core/purge.js';
import { SESSION_TTL_MS } from '../../src/core/sessions/sessions.js';
import { disableUser } from '../../src/core/users/administer-users.js';
import type { User } from '../../src/core/users/user.js';
import { applySeed } from '../../src/seed/apply-seed.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';
import { LogoutReceiver, type ReceivedLogout } from '../support/logout-receiver.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';
const BYE = 'https://app.example.com/signed-out';
const ISSUER = 'http://gatehouse.test';

/** A server-based client with a registered post-logout URI and whatever logout fields the test adds. */
async function logoutClient(h: Harness, fields: ClientFields = {}): Promise<RegisteredTestClient> {
  return h.client(await h.user(), 'server', [REDIRECT], { postLogoutRedirectUris: [BYE], ...fields });
}

/** The user consents to `client` in `agent`'s session and the client redeems the code: its id_token. */
async function idTokenFor(h: Harness, agent: BrowserAgent, client: RegisteredTestClient): Promise<string> {
  const query = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'openid,email' });
  const consent = await agent.get(`/oauth/v2/auth?${query}`);
  const back = await agent.post('/oauth/v2/auth/consent', {
    csrf: consent.field('csrf'),
    interaction: consent.field('interaction'),
    decision: 'accept',
  });
  const tokens = (await h.exchange(client, back.redirectParams().get('code')!, { redirect_uri: REDIRECT })) as { id_token?: string };
  assert.ok(tokens.id_token, 'an id_token');
  return tokens.id_token;
}

/** A user signed in in a browser of their own, who let `client` sign them in. */
async function signedIn(h: Harness, client: RegisteredTestClient, user?: User) {
  const who = user ?? (await h.user());
  const agent = new BrowserAgent(h.baseUrl);
  assert.equal((await agent.signIn(who.email, PASSWORD)).status, 303);
  return { user: who, agent, idToken: await idTokenFor(h, agent, client) };
}

const isSignedIn = async (agent: BrowserAgent) => (await agent.get('/account/connected-apps')).status === 200;
const logoutUrl = (params: Record<string, string>) => `/oauth/v2/logout?${new URLSearchParams(params)}`;

describeEachStore('OpenID Connect RP-initiated logout', (get) => {
  test('discovery advertises the end-session endpoint and back-channel logout with sid, not front-channel; id_tokens carry sid', async () => {
    const h = get();
    const discovery = (await h.request('/.well-known/openid-configuration')).body!;
    assert.equal(discovery.end_session_endpoint, `${ISSUER}/oauth/v2/logout`);
    assert.equal(discovery.backchannel_logout_supported, true);
    assert.equal(discovery.backchannel_logout_session_supported, true);
    assert.equal(discovery.frontchannel_logout_supported, false);
    assert.ok((discovery.claims_supported as string[]).includes('sid'));

    const first = await logoutClient(h);
    const second = await logoutClient(h);
    const { agent, idToken } = await signedIn(h, first);
    const sid = decodeJwt(idToken).sid as string;
    assert.match(sid, /^[0-9a-f]{32}$/);
    assert.equal(decodeJwt(await idTokenFor(h, agent, second)).sid, sid, 'one session, one sid for every client');
    const other = await signedIn(h, first);
    assert.notEqual(decodeJwt(other.idToken).sid, sid, 'another session, another sid');
  });

  test('a hint of the signed-in user signs out at once and returns to the registered URI with state', async () => {
    const h = get();
    const client = await logoutClient(h);
    const { user, agent, idToken } = await signedIn(h, client);
    const page = await agent.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: BYE, state: 's-1' }));
    assert.equal(page.status, 303);
    assert.equal(page.location, `${BYE}?state=s-1`);
    assert.equal(await isSignedIn(agent), false);
    const [event] = await h.storage.auditEvents.list({ type: 'user.signout', userZuid: user.zuid, limit: 5 });
    assert.equal(event?.clientId, client.clientId);
    assert.equal(event?.detail, 'rp_initiated');
  });

  test('an id_token signed with ES256 or EdDSA, as its client registered, is a hint too', async () => {
    const h = get();
    for (const alg of ['ES256', 'EdDSA'] as const) {
      const client = await logoutClient(h, { idTokenSignedResponseAlg: alg });
      const { agent, idToken } = await signedIn(h, client);
      assert.equal(decodeProtectedHeader(idToken).alg, alg);
      const page = await agent.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: BYE, state: 's-1' }));
      assert.equal(page.location, `${BYE}?state=s-1`, alg);
      assert.equal(await isSignedIn(agent), false, alg);
    }
  });

  test('an unregistered post_logout_redirect_uri is not followed: signed out, the signed-out page instead', async () => {
    const h = get();
    const client = await logoutClient(h);
    for (const target of ['https://evil.example/', `${BYE}/more`, `${BYE}?x=1`, REDIRECT]) {
      const { agent, idToken } = await signedIn(h, client);
      const page = await agent.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: target, state: 's' }));
      assert.equal(page.status, 200, target);
      assert.equal(page.location, undefined);
      assert.match(page.body, /You are signed out/);
      assert.equal(await isSignedIn(agent), false);
    }
  });

  test('a bad, foreign or mismatched hint is an error page and the session stays', async () => {
    const h = get();
    const client = await logoutClient(h);
    const { user, agent, idToken } = await signedIn(h, client);
    const someoneElse = await signedIn(h, client);
    const [header, , signature] = idToken.split('.');
    const claims = decodeJwt(idToken);
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '1' })).toString('base64url')}.${signature}`;
    // The same claims and kid, signed by a key that is not ours.
    const foreignKey = await generateKeyPair('RS256');
    const foreign = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: decodeProtectedHeader(idToken).kid! })
      .sign(foreignKey.privateKey);
    // Our own key, but a logout token: never a hint.
    const logoutToken = await issueLogoutToken(
      { clientId: client.clientId, sub: user.zuid, sid: claims.sid as string, alg: 'RS256' },
      { keys: h.gatehouse.signingKeys, issuer: ISSUER, now: h.clock.now },
    );
    const attempts: Array<[string, Record<string, string>]> = [
      ['not a JWT', { id_token_hint: 'garbage' }],
      ['a tampered token', { id_token_hint: tampered }],
      ['a foreign signature', { id_token_hint: foreign }],
      ['a logout token', { id_token_hint: logoutToken }],
      ["another user's token", { id_token_hint: someoneElse.idToken }],
      ['client_id not its audience', { id_token_hint: idToken, client_id: (await logoutClient(h)).clientId }],
      ['an unknown client_id', { client_id: '1000.UNKNOWNUNKNOWNUNKNOWNUNKNOWN00' }],
    ];
    for (const [what, params] of attempts) {
      const page = await agent.get(logoutUrl({ ...params, post_logout_redirect_uri: BYE }));
      assert.equal(page.status, 400, what);
      assert.equal(page.location, undefined, what);
      assert.match(page.body, /invalid_request/, what);
      assert.equal(await isSignedIn(agent), true, `${what}: still signed in`);
    }
  });

  test('an expired hint is still a hint (RP-Initiated Logout §2)', async () => {
    const h = get();
    const client = await logoutClient(h);
    const { agent, idToken } = await signedIn(h, client);
    h.clock.advance(2 * 3600);
    const page = await agent.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: BYE }));
    assert.equal(page.location, BYE);
    assert.equal(await isSignedIn(agent), false);
  });

  test('without a proving hint the user is asked; the answer needs the form’s CSRF token', async () => {
    const h = get();
    const client = await logoutClient(h);
    const { user, idToken } = await signedIn(h, client);
    // The same user in another browser: the hint of the first browser's session proves nothing about this one.
    const agent = new BrowserAgent(h.baseUrl);
    assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
    for (const asked of [
      await agent.get(logoutUrl({ client_id: client.clientId, post_logout_redirect_uri: BYE, state: 's-2' })),
      await agent.post('/oauth/v2/logout', { client_id: client.clientId, post_logout_redirect_uri: BYE, state: 's-2' }),
      await agent.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: BYE, state: 's-2' })),
    ]) {
      assert.equal(asked.status, 200);
      assert.match(asked.body, /Sign out of Gatehouse\?/);
      assert.equal(asked.field('client_id'), client.clientId);
      assert.equal(asked.field('post_logout_redirect_uri'), BYE);
      assert.equal(asked.field('state'), 's-2');
      assert.equal(await isSignedIn(agent), true);
    }
    const asked = await agent.get(logoutUrl({ client_id: client.clientId, post_logout_redirect_uri: BYE, state: 's-2' }));
    const answer = { client_id: client.clientId, post_logout_redirect_uri: BYE, state: 's-2' };
    const someoneElse = new BrowserAgent(h.baseUrl);
    const foreignToken = (await someoneElse.get('/signin')).field('csrf');
    for (const csrf of ['', foreignToken, '0'.repeat(64)]) {
      assert.equal((await agent.post('/oauth/v2/logout/confirm', { ...answer, csrf })).status, 403);
      assert.equal(await isSignedIn(agent), true);
    }
    const done = await agent.post('/oauth/v2/logout/confirm', { ...answer, csrf: asked.field('csrf') });
    assert.equal(done.location, `${BYE}?state=s-2`);
    assert.equal(await isSignedIn(agent), false);
  });

  test('a browser signed out already is still sent back to a registered URI', async () => {
    const h = get();
    const client = await logoutClient(h);
    const page = await new BrowserAgent(h.baseUrl).get(
      logoutUrl({ client_id: client.clientId, post_logout_redirect_uri: BYE, state: 'x' }),
    );
    assert.equal(page.location, `${BYE}?state=x`);
  });
});

describeEachStore('OpenID Connect back-channel logout', (get) => {
  test('signing out POSTs each client a logout token that verifies against the JWKS with every required claim', async () => {
    const h = get();
    const receiver = await LogoutReceiver.start();
    try {
      const client = await logoutClient(h, { backchannelLogoutUri: receiver.uri });
      const quiet = await logoutClient(h);
      const { user, agent, idToken } = await signedIn(h, client);
      await idTokenFor(h, agent, quiet);
      const csrf = (await agent.get('/account/connected-apps')).field('csrf');
      assert.equal((await agent.post('/signout', { csrf })).status, 303);
      const [delivery] = await receiver.waitFor(1);
      assert.equal(delivery!.contentType, 'application/x-www-form-urlencoded');
      const token = delivery!.form.get('logout_token')!;
      const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: ISSUER, audience: client.clientId, typ: 'logout+jwt' });
      assert.equal(protectedHeader.alg, 'RS256');
      assert.equal(payload.sub, user.zuid);
      assert.equal(payload.sid, decodeJwt(idToken).sid);
      assert.deepEqual(payload.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} });
      assert.match(payload.jti!, /^[0-9a-f]{32}$/);
      assert.equal(typeof payload.iat, 'number');
      assert.ok(payload.exp! > payload.iat! && payload.exp! - payload.iat! <= 120, 'short-lived');
      assert.equal(payload.nonce, undefined);
      await h.gatehouse.backChannelLogout.settled();
      const events = await h.storage.auditEvents.list({ type: 'logout.backchannel.sent', userZuid: user.zuid, limit: 5 });
      assert.deepEqual(
        events.map((e) => [e.clientId, e.outcome]),
        [[client.clientId, 'success']],
        'one delivery, to the one client with a back-channel URI',
      );
    } finally {
      await receiver.close();
    }
  });

  test('an administrator disabling the user tells the clients: sub alone, or with each sid when a client requires it', async () => {
    const h = get();
    const [plain, strict] = [await LogoutReceiver.start(), await LogoutReceiver.start()];
    try {
      const byUser = await logoutClient(h, { backchannelLogoutUri: plain.uri });
      const bySession = await logoutClient(h, { backchannelLogoutUri: strict.uri, backchannelLogoutSessionRequired: true });
      const { user, agent, idToken } = await signedIn(h, byUser);
      await idTokenFor(h, agent, bySession);
      await disableUser(user, CLI_CONTEXT, h.gatehouse);
      const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
      const [toPlain] = await plain.waitFor(1);
      const all = (await jwtVerify(toPlain!.form.get('logout_token')!, jwks, { audience: byUser.clientId, typ: 'logout+jwt' })).payload;
      assert.equal(all.sub, user.zuid);
      assert.equal(all.sid, undefined, 'no sid: every session of the user');
      const [toStrict] = await strict.waitFor(1);
      const one = (await jwtVerify(toStrict!.form.get('logout_token')!, jwks, { audience: bySession.clientId, typ: 'logout+jwt' })).payload;
      assert.equal(one.sid, decodeJwt(idToken).sid);
      assert.equal(await isSignedIn(agent), false);
    } finally {
      await plain.close();
      await strict.close();
    }
  });

  test('another account signing in in this browser (prompt=login) signs the first out: audited, its clients told; the same user is not', async () => {
    const h = get();
    const receiver = await LogoutReceiver.start();
    try {
      const client = await logoutClient(h, { backchannelLogoutUri: receiver.uri });
      const { user, agent, idToken } = await signedIn(h, client);
      const again = await agent.get('/signin?prompt=login');
      assert.equal((await agent.post('/signin', { csrf: again.field('csrf'), email: user.email, password: PASSWORD })).status, 303);
      const other = await h.user();
      const form = await agent.get('/signin?prompt=login');
      assert.equal((await agent.post('/signin', { csrf: form.field('csrf'), email: other.email, password: PASSWORD })).status, 303);
      const [delivery] = await receiver.waitFor(1);
      const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
      const { payload } = await jwtVerify(delivery!.form.get('logout_token')!, jwks, { audience: client.clientId, typ: 'logout+jwt' });
      assert.equal(payload.sub, user.zuid);
      assert.equal(payload.sid, decodeJwt(idToken).sid, 'the session the first user signed in again with kept its sid');
      const signOuts = await h.storage.auditEvents.list({ type: 'user.signout', userZuid: user.zuid, limit: 5 });
      assert.equal(signOuts.length, 1, 'signed out once: the same user signing in again was no sign-out');
      await h.gatehouse.backChannelLogout.settled();
      assert.equal(receiver.received.length, 1);
    } finally {
      await receiver.close();
    }
  });

  test('a seed file disabling a signed-in user tells the clients once it commits; a client it updates keeps its logout fields', async () => {
    const h = get();
    const receiver = await LogoutReceiver.start();
    try {
      const owner = await h.user();
      const client = await h.client(owner, 'server', [REDIRECT], { postLogoutRedirectUris: [BYE], backchannelLogoutUri: receiver.uri });
      const { user, agent } = await signedIn(h, client);
      const seed = {
        users: [{ email: user.email, first_name: user.firstName, last_name: user.lastName, password: PASSWORD, disabled: true }],
        clients: [
          {
            client_id: client.clientId,
            client_secret: client.clientSecret,
            type: 'server',
            owner: owner.email,
            name: 'Renamed app',
            homepage: 'https://app.example.com',
            redirect_uris: [REDIRECT],
          },
        ],
      };
      const result = await applySeed(seed, h.gatehouse, h.storage.records);
      assert.deepEqual([result.counts.users.updated, result.counts.clients.updated], [1, 1]);
      const [delivery] = await receiver.waitFor(1);
      const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
      const { payload } = await jwtVerify(delivery!.form.get('logout_token')!, jwks, { audience: client.clientId, typ: 'logout+jwt' });
      assert.equal(payload.sub, user.zuid);
      assert.equal(payload.sid, undefined, 'every session of the user');
      assert.equal(await isSignedIn(agent), false);
      const stored = await h.storage.clients.find(client.clientId);
      assert.equal(stored!.name, 'Renamed app');
      assert.deepEqual(stored!.postLogoutRedirectUris, [BYE]);
      assert.equal(stored!.backchannelLogoutUri, receiver.uri);
    } finally {
      await receiver.close();
    }
  });

  test('a client that never answers does not hold up the sign-out; its failure is audited once the timeout passes', async () => {
    const h = get();
    const receiver = await LogoutReceiver.start({ hang: true });
    try {
      const client = await logoutClient(h, { backchannelLogoutUri: receiver.uri });
      const { user, agent } = await signedIn(h, client);
      const csrf = (await agent.get('/account/connected-apps')).field('csrf');
      const started = performance.now();
      assert.equal((await agent.post('/signout', { csrf })).status, 303);
      const took = performance.now() - started;
      assert.ok(took < 2000, `the sign-out answered in ${Math.round(took)} ms`);
      await receiver.waitFor(1);
      await h.gatehouse.backChannelLogout.settled();
      const waited = performance.now() - started;
      assert.ok(waited >= 4900, `the delivery was given its 5 s (${Math.round(waited)} ms)`);
      const [event] = await h.storage.auditEvents.list({ type: 'logout.backchannel.sent', userZuid: user.zuid, limit: 5 });
      assert.equal(event?.outcome, 'failure');
      assert.equal(event?.detail, 'timeout');
      assert.equal(event?.subject, receiver.uri);
    } finally {
      await receiver.close();
    }
  });
});

describeEachStore('OpenID Connect back-channel logout when a session expires', (get) => {
  /** Past the end of every session begun so far. */
  const expireSessions = (h: Harness) => h.clock.advance(SESSION_TTL_MS / 1000 + 1);
  const purge = (h: Harness) => purgeExpired(h.gatehouse, h.clock.now());
  const expiredSignOuts = async (h: Harness, user: User) =>
    (await h.storage.auditEvents.list({ type: 'user.signout', userZuid: user.zuid, limit: 5 })).filter((e) => e.detail === 'expired');

  /** Runs `body` with a client whose back-channel logout URI is a real receiver, closed afterwards. */
  async function withBackChannelClient(h: Harness, body: (client: RegisteredTestClient, receiver: LogoutReceiver) => Promise<void>) {
    const receiver = await LogoutReceiver.start();
    try {
      await body(await logoutClient(h, { backchannelLogoutUri: receiver.uri }), receiver);
    } finally {
      await receiver.close();
    }
  }

  /** A logout token `receiver` got, verified against the JWKS as of the test clock: its claims. */
  async function verifiedLogoutToken(h: Harness, delivery: ReceivedLogout, client: RegisteredTestClient) {
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth/v2/keys`));
    const options = { issuer: ISSUER, audience: client.clientId, typ: 'logout+jwt', currentDate: new Date(h.clock.now()) };
    return (await jwtVerify(delivery.form.get('logout_token')!, jwks, options)).payload;
  }

  test('the purge tells the back-channel clients of an expired session, once; the expired cookie itself ends nothing', async () => {
    const h = get();
    await withBackChannelClient(h, async (client, receiver) => {
      const { user, agent, idToken } = await signedIn(h, client);
      await idTokenFor(h, agent, await logoutClient(h));
      const csrf = (await agent.get('/account/connected-apps')).field('csrf');
      expireSessions(h);

      // The browser comes back with its expired cookie: signed out already, so neither way of signing out tells anyone.
      assert.equal(await isSignedIn(agent), false);
      assert.equal((await agent.post('/signout', { csrf })).status, 303);
      assert.equal((await agent.get(logoutUrl({ id_token_hint: idToken, post_logout_redirect_uri: BYE }))).location, BYE);
      await h.gatehouse.backChannelLogout.settled();
      assert.equal(receiver.received.length, 0, 'no token from looking at an expired session');

      assert.ok((await purge(h)) >= 1);
      const [delivery] = await receiver.waitFor(1);
      assert.equal(delivery!.contentType, 'application/x-www-form-urlencoded');
      const payload = await verifiedLogoutToken(h, delivery!, client);
      assert.equal(payload.sub, user.zuid);
      assert.equal(payload.sid, decodeJwt(idToken).sid);
      assert.deepEqual(payload.events, { [BACKCHANNEL_LOGOUT_EVENT]: {} });
      assert.equal(payload.iat, Math.floor(h.clock.now() / 1000));
      assert.match(payload.jti!, /^[0-9a-f]{32}$/);
      assert.equal(payload.nonce, undefined);

      await purge(h);
      await h.gatehouse.backChannelLogout.settled();
      assert.equal(receiver.received.length, 1, 'one token: the next sweep has nothing left to tell');
      const ended = await expiredSignOuts(h, user);
      assert.deepEqual(
        ended.map((e) => [e.actor.kind, e.clientId]),
        [['cli', null]],
        'audited once, as ended by the sweep',
      );
      const sent = await h.storage.auditEvents.list({ type: 'logout.backchannel.sent', userZuid: user.zuid, limit: 5 });
      assert.deepEqual(
        sent.map((e) => [e.clientId, e.outcome]),
        [[client.clientId, 'success']],
      );
    });
  });

  test('a session that authorized no back-channel client tells nobody when it expires; one that did, its client', async () => {
    const h = get();
    await withBackChannelClient(h, async (client, receiver) => {
      const quiet = await signedIn(h, await logoutClient(h));
      const told = await signedIn(h, client);
      expireSessions(h);
      await purge(h);
      const [delivery] = await receiver.waitFor(1);
      await h.gatehouse.backChannelLogout.settled();
      assert.equal(receiver.received.length, 1);
      assert.equal((await verifiedLogoutToken(h, delivery!, client)).sub, told.user.zuid);
      assert.equal((await expiredSignOuts(h, quiet.user)).length, 1, 'its end is audited all the same');
      assert.deepEqual(await h.storage.auditEvents.list({ type: 'logout.backchannel.sent', userZuid: quiet.user.zuid, limit: 5 }), []);
    });
  });

  test('nodes purging at once: the delete decides, each expired session is told once', async () => {
    const h = get();
    await withBackChannelClient(h, async (client, receiver) => {
      const sessions = await Promise.all([1, 2, 3].map(() => signedIn(h, client)));
      expireSessions(h);
      // On PostgreSQL each purge's DELETE runs on a pooled connection of its own, as two nodes' would.
      await Promise.all([purge(h), purge(h)]);
      await receiver.waitFor(sessions.length);
      await h.gatehouse.backChannelLogout.settled();
      const sids = await Promise.all(receiver.received.map(async (delivery) => (await verifiedLogoutToken(h, delivery, client)).sid));
      assert.deepEqual(sids.sort(), sessions.map((s) => decodeJwt(s.idToken).sid).sort(), 'one token per session, none twice');
      for (const { user } of sessions) assert.equal((await expiredSignOuts(h, user)).length, 1);
    });
  });
});
