import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { USER_CODE_ATTEMPTS } from '../../src/core/device/answer.js';
import { DEFAULT_CONFIG } from '../../src/core/config/config.js';
import { SIGN_IN_LIMITS } from '../../src/core/users/sign-in.js';
import { gatehouseOk } from '../cli/cli-runner.js';
import { newAddress } from '../hostile/deployments.js';
import { BrowserAgent, type Page } from '../support/browser-agent.js';
import { clusterUnavailable, startCluster, type Cluster } from '../support/cluster.js';
import { passkeyOptions, RIGHT_CLAIMS } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';

/**
 * How long after a change made through one node (a revocation, a rotated secret, a disabled user, a revoked consent)
 * another node may still honour what the change took away. PostgreSQL nodes cache hot point reads; every UPDATE or
 * DELETE of a cached table notifies every node (LISTEN/NOTIFY), which then forgets what it read. The README states
 * this bound.
 */
const CROSS_NODE_BOUND_MS = 100;

/** How long each change in this file took to be refused on the other node, for the log. */
const observedLags: number[] = [];

/**
 * Asks `refused` on the other node until it says the change holds there. Tries sent before the bound has passed may
 * still be honoured; the first try sent after it must be refused.
 */
async function refusedWithinBound(what: string, refused: () => Promise<boolean>): Promise<void> {
  const changedAt = performance.now();
  for (;;) {
    const sentAt = performance.now();
    if (await refused()) {
      observedLags.push(sentAt - changedAt);
      return;
    }
    if (sentAt - changedAt >= CROSS_NODE_BOUND_MS)
      assert.fail(`${what}: still honoured ${Math.round(sentAt - changedAt)} ms after the change (bound ${CROSS_NODE_BOUND_MS} ms)`);
    await sleep(5);
  }
}

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong horse battery';
const REDIRECT_URI = 'https://app.example.com/callback';
const SCOPE = 'ZohoCRM.modules.ALL,AaaServer.profile.READ';

interface Json {
  status: number;
  body: Record<string, any>;
}
interface TestClient {
  clientId: string;
  clientSecret: string;
}
interface TestUser {
  zuid: string;
  email: string;
  /** A browser signed in as the user, talking to `node`. */
  agent: BrowserAgent;
  node: string;
}

async function request(base: string, path: string, init: RequestInit = {}): Promise<Json> {
  const response = await fetch(base + path, { redirect: 'manual', ...init });
  const text = await response.text();
  let body: Record<string, any> = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, any>);
  } catch {
    body = { text };
  }
  return { status: response.status, body };
}

const post = (base: string, path: string, form: Record<string, string>) =>
  request(base, path, { method: 'POST', body: new URLSearchParams(form) });

const tally = (statuses: number[]) =>
  JSON.stringify(statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {}));

describe('multi-node: two Gatehouse processes over one PostgreSQL schema and one Redis', async () => {
  const skip = await clusterUnavailable();
  if (skip) {
    describe('skipped', { skip }, () => {});
    return;
  }
  let cluster: Cluster | undefined;
  /** The two nodes' base URLs. Each test makes its changes through one and checks them on the other. */
  let a = '';
  let b = '';
  let adminToken = '';

  before(async () => {
    const admin = `admin-${randomBytes(4).toString('hex')}@example.com`;
    cluster = await startCluster(2, {
      prepare: async (env) => {
        await gatehouseOk(
          env,
          'user',
          'create',
          '--email',
          admin,
          '--password',
          PASSWORD,
          '--first-name',
          'Ada',
          '--last-name',
          'Min',
          '--admin',
        );
        adminToken = (await gatehouseOk(env, 'api-token', 'create', '--email', admin, '--name', 'multi-node')).token as string;
      },
    });
    [a, b] = cluster.nodes.map((n) => n.url) as [string, string];
  });
  after(async () => {
    if (observedLags.length > 0)
      console.log(`cross-node lag, change to refusal (ms): ${observedLags.map((lag) => lag.toFixed(1)).join(' ')}`);
    await cluster?.stop();
  });

  /** `/api/v1` as the administrator's script. */
  const api = (base: string, method: string, path: string, body?: unknown) =>
    request(base, `/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  /**
   * A user an administrator adds on `createdOn`, who signs in for the first time on `signsInOn` and chooses their own
   * password there (users added by an administrator must).
   */
  async function newUser(createdOn: string, signsInOn: string): Promise<TestUser> {
    const email = `user-${randomBytes(5).toString('hex')}@example.com`;
    const created = await api(createdOn, 'POST', '/users', { email, first_name: 'Ann', last_name: 'Lee', password: `first ${PASSWORD}` });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const agent = new BrowserAgent(signsInOn, { 'x-forwarded-for': newAddress() });
    assert.equal((await agent.signIn(email, `first ${PASSWORD}`)).status, 303);
    const form = await agent.get('/account/password');
    const changed = await agent.post('/account/password', {
      csrf: form.field('csrf'),
      return_to: '/account/connected-apps',
      current_password: `first ${PASSWORD}`,
      new_password: PASSWORD,
      confirm_password: PASSWORD,
    });
    assert.equal(changed.status, 303, changed.body);
    return { zuid: created.body.user.zuid as string, email, agent, node: signsInOn };
  }

  async function newClient(on: string, type: 'server' | 'device' = 'server'): Promise<TestClient> {
    const created = await api(on, 'POST', '/clients', {
      type,
      name: `Multi node ${type} app`,
      homepage: 'https://app.example.com',
      ...(type === 'server' ? { redirect_uris: [REDIRECT_URI] } : {}),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return { clientId: created.body.client.client_id as string, clientSecret: created.body.client_secret as string };
  }

  /**
   * The authorization endpoint through `agent` (whichever node it talks to): the consent page answered when one is
   * shown, then the redirect back to the app. Answers the redirect's parameters.
   */
  async function authorize(agent: BrowserAgent, client: TestClient, scope = SCOPE, answerOn?: string): Promise<URLSearchParams> {
    const query = new URLSearchParams({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope,
      access_type: 'offline',
      state: 's',
    });
    let page: Page = await agent.get(`/oauth/v2/auth?${query}`);
    if (page.status === 200) {
      const fields = { csrf: page.field('csrf'), interaction: page.field('interaction'), decision: 'accept' };
      page = await agent.post(answerOn ? `${answerOn}/oauth/v2/auth/consent` : '/oauth/v2/auth/consent', fields);
    }
    assert.equal(page.status, 303, page.body);
    assert.ok(page.location?.startsWith(REDIRECT_URI), String(page.location));
    return page.redirectParams();
  }

  const exchange = (on: string, client: TestClient, code: string) =>
    post(on, '/oauth/v2/token', { grant_type: 'authorization_code', ...credentials(client), redirect_uri: REDIRECT_URI, code });
  const refresh = (on: string, client: TestClient, refreshToken: string) =>
    post(on, '/oauth/v2/token', { grant_type: 'refresh_token', ...credentials(client), refresh_token: refreshToken });
  const credentials = (client: TestClient) => ({ client_id: client.clientId, client_secret: client.clientSecret });
  const profile = (on: string, accessToken: string) =>
    request(on, '/oauth/user/info', { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
  const introspect = async (on: string, client: TestClient, token: string) =>
    (await post(on, '/oauth/v2/introspect', { ...credentials(client), token })).body.active as boolean;

  /** A user, a client they granted on node A, and its tokens from A. */
  async function grantedTokens(): Promise<{ user: TestUser; client: TestClient; accessToken: string; refreshToken: string }> {
    const user = await newUser(a, a);
    const client = await newClient(a);
    const exchanged = await exchange(a, client, (await authorize(user.agent, client)).get('code')!);
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    return { user, client, accessToken: exchanged.body.access_token, refreshToken: exchanged.body.refresh_token };
  }

  test('what one node issues works on the other: tokens, codes, consent pages, the API, id_token keys', async () => {
    // Added on B, signed in on A; the consent page A shows is answered on B; the code from it is redeemed on A.
    const user = await newUser(b, a);
    const client = await newClient(b);
    const redirect = await authorize(user.agent, client, `${SCOPE},openid,email`, b);
    const exchanged = await exchange(a, client, redirect.get('code')!);
    assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));
    const { access_token: accessToken, refresh_token: refreshToken, id_token: idToken } = exchanged.body;

    const me = await profile(b, accessToken);
    assert.deepEqual([me.status, me.body.Email], [200, user.email]);
    assert.equal(await introspect(b, client, accessToken), true);
    const lead = await request(b, '/crm/v8/Leads', {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ Last_Name: 'Lee', Company: 'Zylker' }] }),
    });
    assert.equal(lead.status, 201, JSON.stringify(lead.body));
    const read = await request(a, `/crm/v8/Leads/${lead.body.data[0].details.id}`, {
      headers: { authorization: `Zoho-oauthtoken ${accessToken}` },
    });
    assert.deepEqual([read.status, read.body.data?.[0]?.Company], [200, 'Zylker'], 'a record written through B is read through A');

    const refreshed = await refresh(b, client, refreshToken);
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal((await profile(a, refreshed.body.access_token)).status, 200);

    // The id_token A signed verifies against B's JWKS: both nodes serve the same keys. (They started together on a
    // database without a key; each once made a first key of its own, which the other's JWKS lacked for a minute.)
    const kid = JSON.parse(Buffer.from(String(idToken).split('.')[0]!, 'base64url').toString()).kid as string;
    const [jwksA, jwksB] = await Promise.all([request(a, '/oauth/v2/keys'), request(b, '/oauth/v2/keys')]);
    assert.deepEqual(jwksA.body, jwksB.body);
    assert.ok(
      jwksB.body.keys.some((k: { kid: string }) => k.kid === kid),
      'the signing key is in the other node’s JWKS',
    );
  });

  test('passkeys: a challenge issued by one node is answered on the other, once', async () => {
    const user = await newUser(a, a);
    const page = await user.agent.get('/account/security');
    const registration = await passkeyOptions(user.agent, '/account/security/passkeys/options', page);
    const authenticator = new SoftAuthenticator();
    const added = await user.agent.post(`${b}/account/security/passkeys`, {
      csrf: page.field('csrf'),
      passkey_response: authenticator.register(registration, RIGHT_CLAIMS),
    });
    assert.equal(added.status, 303, 'the passkey asked for on A is added on B');

    const browser = new BrowserAgent(b, { 'x-forwarded-for': newAddress() });
    const form = await browser.get('/signin');
    const answer = authenticator.authenticate(await passkeyOptions(browser, '/signin/passkey/options', form), RIGHT_CLAIMS);
    const signedIn = await browser.post(`${a}/signin/passkey`, { csrf: form.field('csrf'), passkey_response: answer });
    assert.equal(signedIn.status, 303, 'the challenge B issued is answered on A');
    const replayer = new BrowserAgent(b, { 'x-forwarded-for': newAddress() });
    const replayed = await replayer.post('/signin/passkey', {
      csrf: (await replayer.get('/signin')).field('csrf'),
      passkey_response: answer,
    });
    assert.equal(replayed.status, 401, 'and not again, on the other node');
  });

  test('revocation on one node is enforced on the other', async () => {
    const { client, accessToken, refreshToken } = await grantedTokens();
    assert.equal((await profile(b, accessToken)).status, 200, 'works on B before');

    // An access token revoked on A: refused on B; its refresh token still works there.
    assert.equal((await post(a, '/oauth/v2/token/revoke', { token: accessToken })).status, 200);
    await refusedWithinBound('access token revoked on A, used on B', async () => (await profile(b, accessToken)).status === 401);
    assert.equal(await introspect(b, client, accessToken), false);
    const second = await refresh(b, client, refreshToken);
    assert.equal(second.status, 200, 'revoking an access token leaves its refresh token');
    assert.equal((await profile(a, second.body.access_token)).status, 200, 'works on A before');

    // The refresh token revoked on B: refused on A, with every access token issued under it.
    assert.equal((await post(b, '/oauth/v2/token/revoke', { token: refreshToken })).status, 200);
    await refusedWithinBound(
      'refresh token revoked on B, refreshed on A',
      async () => (await refresh(a, client, refreshToken)).status === 400,
    );
    await refusedWithinBound(
      'access token of a refresh token revoked on B, used on A',
      async () => (await profile(a, second.body.access_token)).status === 401,
    );
    assert.equal(await introspect(a, client, refreshToken), false);
  });

  test('a client secret rotated on one node stops working on the other; the new one works there', async () => {
    const { client, refreshToken } = await grantedTokens();
    // B has just checked the old secret (a node remembers secrets that matched).
    assert.equal((await refresh(b, client, refreshToken)).status, 200);
    assert.equal(await introspect(b, client, refreshToken), true);

    const rotated = await api(a, 'POST', `/clients/${client.clientId}/secret`);
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    await refusedWithinBound('old secret used on B after rotation on A', async () => {
      const res = await refresh(b, client, refreshToken);
      assert.ok(res.status === 200 || res.status === 401, JSON.stringify(res.body));
      return res.status === 401 && res.body.error === 'invalid_client';
    });
    assert.equal((await post(b, '/oauth/v2/introspect', { ...credentials(client), token: refreshToken })).status, 401);
    const renewed = { clientId: client.clientId, clientSecret: rotated.body.client_secret as string };
    assert.equal((await refresh(b, renewed, refreshToken)).status, 200, 'the new secret works on B');
  });

  test('a user disabled on one node is refused on the other: tokens, pending codes, sessions, sign-in', async () => {
    const user = await newUser(a, b);
    const client = await newClient(a);
    const exchanged = await exchange(b, client, (await authorize(user.agent, client)).get('code')!);
    assert.equal(exchanged.status, 200);
    const { access_token: accessToken, refresh_token: refreshToken } = exchanged.body;
    const pendingCode = (await authorize(user.agent, client)).get('code')!;
    assert.equal((await profile(b, accessToken)).status, 200, 'works on B before');
    assert.equal((await user.agent.get('/account/connected-apps')).status, 200, 'signed in on B before');

    const disabled = await api(a, 'POST', `/users/${user.zuid}/disable`);
    assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
    await refusedWithinBound('access token of a user disabled on A, used on B', async () => (await profile(b, accessToken)).status === 401);
    assert.equal(await introspect(b, client, accessToken), false);
    assert.equal((await refresh(b, client, refreshToken)).status, 400);
    assert.equal((await exchange(b, client, pendingCode)).status, 400, 'a code issued before the disable');
    const session = await user.agent.get('/account/connected-apps');
    assert.equal(session.status, 303, 'the session on B ended');
    assert.match(session.location ?? '', /\/signin/);
    const signIn = await new BrowserAgent(b, { 'x-forwarded-for': newAddress() }).signIn(user.email, PASSWORD);
    assert.equal(signIn.status, 403, 'the right password on B: the account is disabled');
  });

  test('a consent revoked on one node (Connected apps) is enforced on the other', async () => {
    const { user, client, accessToken, refreshToken } = await grantedTokens();
    assert.equal((await profile(b, accessToken)).status, 200, 'works on B before');
    const page = await user.agent.get('/account/connected-apps');
    assert.match(page.body, /Multi node server app/);
    const revoked = await user.agent.post('/account/connected-apps/revoke', { csrf: page.field('csrf'), client_id: client.clientId });
    assert.equal(revoked.status, 303);

    await refusedWithinBound(
      'access token of a consent revoked on A, used on B',
      async () => (await profile(b, accessToken)).status === 401,
    );
    assert.equal((await refresh(b, client, refreshToken)).status, 400);
    // B asks for consent again.
    const onB = new BrowserAgent(b, { 'x-forwarded-for': newAddress() });
    assert.equal((await onB.signIn(user.email, PASSWORD)).status, 303);
    const query = new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT_URI, scope: SCOPE });
    const again = await onB.get(`/oauth/v2/auth?${query}`);
    assert.equal(again.status, 200, 'the consent page, not a code');
    assert.match(again.body, /name="interaction"/);
  });

  test('50 authorization codes, each redeemed by 4 racing requests split across the nodes: exactly one 200 per code', async () => {
    const user = await newUser(a, b);
    const codeRate = DEFAULT_CONFIG.limits.codeRate!.count;
    // The code rate is per client: 5 clients, each up to its limit, issued alternately by A and B.
    const clients = await Promise.all(Array.from({ length: 50 / codeRate }, (_, i) => newClient(i % 2 ? a : b)));
    const agents = [user.agent, new BrowserAgent(a, { 'x-forwarded-for': newAddress() })];
    for (const [k, v] of user.agent.cookies) agents[1]!.cookies.set(k, v);
    const codes = (
      await Promise.all(
        clients.map(async (client) => {
          const issued: Array<{ client: TestClient; code: string }> = [];
          for (let i = 0; i < codeRate; i++) issued.push({ client, code: (await authorize(agents[i % 2]!, client)).get('code')! });
          // One more, on either node, is over the client's shared code rate.
          const over = await authorize(agents[codeRate % 2]!, client);
          assert.equal(over.get('error'), 'access_denied', `code ${codeRate + 1} of a client`);
          return issued;
        }),
      )
    ).flat();
    assert.equal(codes.length, 50);
    assert.equal(new Set(codes.map((c) => c.code)).size, 50);

    const results = await Promise.all(
      codes.map(async ({ client, code }) => ({
        code,
        statuses: (await Promise.all([a, b, a, b].map((node) => exchange(node, client, code)))).map((r) => {
          assert.ok(r.status === 200 || r.body.error === 'invalid_grant', JSON.stringify(r.body));
          return r.status;
        }),
      })),
    );
    const wrong = results.filter((r) => r.statuses.filter((s) => s === 200).length !== 1);
    assert.deepEqual(wrong, [], 'codes redeemed other than exactly once');
  });

  test('device codes, each approved once on racing pages on both nodes and polled by racing devices on both: tokens once', async () => {
    const device = await newClient(a, 'device');
    // Each approval costs a user 3 of their code-entry attempts (the code page, then the consent twice).
    const perUser = Math.floor(USER_CODE_ATTEMPTS.count / 3);
    const users = await Promise.all([newUser(a, a), newUser(b, b), newUser(a, b), newUser(b, a)]);
    const flows = await Promise.all(
      users.flatMap((user, u) =>
        Array.from({ length: perUser }, async (_, i) => {
          const started = await post((u + i) % 2 ? a : b, '/oauth/v3/device/code', {
            client_id: device.clientId,
            grant_type: 'device_request',
            scope: SCOPE,
            access_type: 'offline',
          });
          assert.equal(started.status, 200, JSON.stringify(started.body));
          return { user, deviceCode: started.body.device_code as string, userCode: started.body.user_code as string };
        }),
      ),
    );
    // Approvals one user at a time (one browser, one CSRF cookie), each raced on both nodes.
    for (const user of users) {
      const other = new BrowserAgent(user.node === a ? b : a);
      for (const [k, v] of user.agent.cookies) other.cookies.set(k, v);
      for (const flow of flows.filter((f) => f.user === user)) {
        const entry = await user.agent.get('/oauth/v3/device');
        const consent = await user.agent.post('/oauth/v3/device', { csrf: entry.field('csrf'), user_code: flow.userCode });
        assert.equal(consent.status, 200, consent.body);
        const answer = { csrf: consent.field('csrf'), user_code: consent.field('user_code'), decision: 'accept' };
        const answers = await Promise.all([user.agent, other].map((agent) => agent.post('/oauth/v3/device/consent', answer)));
        assert.deepEqual(answers.map((p) => p.status).sort(), [200, 400], 'one answer is taken, the other is told it was answered');
      }
    }

    const zoho = (on: string, code: string) =>
      post(on, '/oauth/v3/device/token', { ...credentials(device), grant_type: 'device_token', code });
    const rfc = (on: string, code: string) =>
      post(on, '/oauth/v2/token', {
        ...credentials(device),
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: code,
      });
    const results = await Promise.all(
      flows.map(async ({ deviceCode }) => {
        const polls = await Promise.all([
          zoho(a, deviceCode),
          rfc(b, deviceCode),
          rfc(a, deviceCode),
          zoho(b, deviceCode),
          zoho(a, deviceCode),
          rfc(b, deviceCode),
        ]);
        for (const p of polls) assert.ok(p.status === 200 || p.status === 400, JSON.stringify(p.body));
        return polls.filter((p) => p.status === 200).length;
      }),
    );
    assert.deepEqual(
      results,
      flows.map(() => 1),
      'device codes redeemed other than exactly once',
    );
  });

  describe('every limit is shared by the nodes', () => {
    test(`sign-in guesses from one address, split across the nodes: ${SIGN_IN_LIMITS.perAddress.count} checked`, async () => {
      const address = newAddress();
      const limit = SIGN_IN_LIMITS.perAddress.count;
      const forms = await Promise.all(
        Array.from({ length: limit + 20 }, async (_, i) => {
          const agent = new BrowserAgent(i % 2 ? a : b, { 'x-forwarded-for': address });
          return { agent, csrf: (await agent.get('/signin')).field('csrf') };
        }),
      );
      const statuses = (
        await Promise.all(
          forms.map(({ agent, csrf }, i) => agent.post('/signin', { csrf, email: `nobody-${i}-${address}@example.com`, password: WRONG })),
        )
      ).map((p) => p.status);
      assert.equal(statuses.filter((s) => s !== 429).length, limit, tally(statuses));
    });

    test('guesses at the current password on both nodes share the account’s budget', async () => {
      const user = await newUser(a, a);
      const onB = new BrowserAgent(b, { 'x-forwarded-for': newAddress() });
      assert.equal((await onB.signIn(user.email, PASSWORD)).status, 303);
      const forms = await Promise.all(
        [user.agent, onB].map(async (agent) => ({ agent, csrf: (await agent.get('/account/password')).field('csrf') })),
      );
      const statuses = (
        await Promise.all(
          Array.from({ length: 16 }, (_, i) => {
            const { agent, csrf } = forms[i % 2]!;
            const next = 'a new horse battery';
            return agent.post('/account/password', { csrf, current_password: `${WRONG} ${i}`, new_password: next, confirm_password: next });
          }),
        )
      ).map((p) => p.status);
      assert.equal(statuses.filter((s) => s !== 429).length, SIGN_IN_LIMITS.perAccount.count, tally(statuses));
    });

    test(`device user codes typed on both nodes: ${USER_CODE_ATTEMPTS.count} checked`, async () => {
      const user = await newUser(b, a);
      const onB = new BrowserAgent(b, { 'x-forwarded-for': newAddress() });
      for (const [k, v] of user.agent.cookies) onB.cookies.set(k, v);
      const csrf = (await user.agent.get('/oauth/v3/device')).field('csrf');
      const statuses = (
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            (i % 2 ? user.agent : onB).post('/oauth/v3/device', { csrf, user_code: `BCDF-${String(1000 + i).slice(-4)}` }),
          ),
        )
      ).map((p) => p.status);
      assert.equal(statuses.filter((s) => s !== 429).length, USER_CODE_ATTEMPTS.count, tally(statuses));
    });

    test(`30 refreshes of one token, split across the nodes: ${DEFAULT_CONFIG.limits.refreshRate!.count} minted`, async () => {
      const { client, refreshToken } = await grantedTokens();
      const results = await Promise.all(Array.from({ length: 30 }, (_, i) => refresh(i % 2 ? a : b, client, refreshToken)));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 200).length, DEFAULT_CONFIG.limits.refreshRate!.count, tally(statuses));
      assert.ok(
        statuses.every((s) => s === 200 || s === 429),
        tally(statuses),
      );
    });

    test(`30 Self Client codes for one client, split across the nodes: ${DEFAULT_CONFIG.limits.codeRate!.count} minted`, async () => {
      const self = await api(a, 'POST', '/clients', { type: 'self' });
      assert.equal(self.status, 201, JSON.stringify(self.body));
      const clientId = self.body.client.client_id as string;
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => api(i % 2 ? a : b, 'POST', `/clients/${clientId}/codes`, { scope: SCOPE })),
      );
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((s) => s === 201).length, DEFAULT_CONFIG.limits.codeRate!.count, tally(statuses));
      assert.ok(
        statuses.every((s) => s === 201 || s === 429),
        tally(statuses),
      );
    });
  });
});
