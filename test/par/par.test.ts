import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { BrowserAgent, type Page } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';
const VERIFIER = 'a-verifier-of-forty-three-characters-or-more-0123';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

/** A complete authorization request, as the client would otherwise put it in the URL. */
function authorizationParams(client: RegisteredTestClient, extra: Record<string, string> = {}): Record<string, string> {
  return {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'ZohoCRM.modules.leads.READ,AaaServer.profile.READ',
    access_type: 'offline',
    state: 'pushed-state',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** POST /oauth/v2/par with the client's secret in the body (or, with `basic`, in the Authorization header). */
function push(h: Harness, client: RegisteredTestClient, params: Record<string, string>, options: { basic?: boolean } = {}) {
  if (options.basic) {
    const credentials = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
    return h.post('/oauth/v2/par', params, { headers: { authorization: `Basic ${credentials}` } });
  }
  return h.post('/oauth/v2/par', { ...params, ...(client.clientSecret ? { client_secret: client.clientSecret } : {}) });
}

async function pushed(h: Harness, client: RegisteredTestClient, extra: Record<string, string> = {}): Promise<string> {
  const res = await push(h, client, authorizationParams(client, extra));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body!.request_uri as string;
}

const useUrl = (client: RegisteredTestClient, requestUri: string, extra: Record<string, string> = {}) =>
  `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, request_uri: requestUri, ...extra })}`;

async function signedIn(h: Harness) {
  const user = await h.user();
  const agent = new BrowserAgent(h.baseUrl);
  assert.equal((await agent.signIn(user.email, PASSWORD)).status, 303);
  return { user, agent };
}

/** The error an authorization endpoint answer carries: in the redirect to the client, or on the page shown instead. */
function authorizeError(page: Page): { where: 'redirect' | 'page'; error: string } {
  if (page.status === 303 && page.location?.startsWith(REDIRECT)) return { where: 'redirect', error: page.redirectParams().get('error')! };
  assert.equal(page.status, 400, `expected an error, got ${page.status} ${page.location ?? ''}`);
  return { where: 'page', error: /Error: ([a-z_]+)/.exec(page.body)![1]! };
}

async function pushedRows(h: Harness): Promise<number> {
  return (await h.snapshot())['pushed_requests']!.length;
}

describeEachStore('pushed authorization requests (RFC 9126)', (get) => {
  test('pushed, then used by a signed-in browser: consent, the code at the pushed redirect URI, exchanged with the pushed PKCE', async () => {
    const h = get();
    const { user, agent } = await signedIn(h);
    const client = await h.client(user, 'server');

    const res = await push(h, client, authorizationParams(client));
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.body!.request_uri, /^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/);
    assert.equal(res.body!.expires_in, 60);

    // §4: other parameters in the URL are ignored; the pushed ones are the request.
    const url = useUrl(client, res.body!.request_uri, {
      redirect_uri: 'https://evil.example/cb',
      scope: 'ZohoCRM.modules.ALL',
      state: 'x',
    });
    const back = await agent.consentTo(url);
    assert.equal(back.origin + back.pathname, REDIRECT);
    assert.equal(back.searchParams.get('state'), 'pushed-state');
    const tokens = await h.exchange(client, back.searchParams.get('code')!, { redirect_uri: REDIRECT, code_verifier: VERIFIER });
    assert.equal(tokens.scope, 'ZohoCRM.modules.leads.READ AaaServer.profile.READ');
    assert.ok(tokens.refresh_token, 'access_type=offline was pushed too');

    // Used once: the same URL again (a reload, a back button) is refused on a page.
    const again = await agent.get(url);
    assert.deepEqual(authorizeError(again), { where: 'page', error: 'invalid_request_uri' });
  });

  test('the client authenticates as at the token endpoint: Basic, post, and refusals that store nothing', async () => {
    const h = get();
    const owner = await h.user();
    const client = await h.client(owner, 'server');
    const other = await h.client(owner, 'server');
    assert.equal((await push(h, client, authorizationParams(client), { basic: true })).status, 201);

    const before = await pushedRows(h);
    const wrongSecret = await h.post('/oauth/v2/par', { ...authorizationParams(client), client_secret: 'nope' });
    assert.deepEqual([wrongSecret.status, wrongSecret.body!.error], [401, 'invalid_client']);
    const noSecret = await h.post('/oauth/v2/par', authorizationParams(client));
    assert.deepEqual([noSecret.status, noSecret.body!.error], [401, 'invalid_client']);
    // The body's client_id must be the authenticated client's.
    const mixed = await push(h, client, authorizationParams(other), { basic: true });
    assert.deepEqual([mixed.status, mixed.body!.error], [400, 'invalid_request']);
    const get405 = await h.request('/oauth/v2/par');
    assert.deepEqual([get405.status, get405.headers.get('allow')], [405, 'POST']);
    assert.equal(await pushedRows(h), before, 'nothing stored');
  });

  test('the parameters are checked exactly as the authorization endpoint checks them, and a refusal stores nothing', async () => {
    const h = get();
    const { user, agent } = await signedIn(h);
    const client = await h.client(user, 'server');
    const cases: Array<Record<string, string>> = [
      { redirect_uri: 'https://app.example.com/other' },
      { response_type: 'bogus' },
      { scope: 'No.such.SCOPE' },
      { code_challenge_method: 'plain' },
      { prompt: 'none login' },
      { max_age: 'soon' },
      { claims: '{not json' },
      { response_mode: 'form_post' },
      { response_type: 'id_token token', scope: 'openid' },
      { id_token_hint: 'not.a.token', scope: 'openid' },
    ];
    const before = await pushedRows(h);
    for (const extra of cases) {
      const params = authorizationParams(client, extra);
      const atPar = await push(h, client, params);
      const atAuthorize = authorizeError(await agent.get(`/oauth/v2/auth?${new URLSearchParams(params)}`));
      assert.equal(atPar.status, 400, `${JSON.stringify(extra)}: ${JSON.stringify(atPar.body)}`);
      assert.equal(atPar.body!.error, atAuthorize.error, JSON.stringify(extra));
    }
    // Every authenticated push counts against the client's code limit (10 per 10 minutes): a new window for the rest.
    h.clock.advance(600);
    for (const [name, value, error] of [
      ['request_uri', 'urn:ietf:params:oauth:request_uri:abc', 'invalid_request'],
      // A pushed request object is verified as at the authorization endpoint: an unsigned one is refused.
      ['request', 'eyJhbGciOiJub25lIn0.e30.', 'invalid_request_object'],
    ] as const) {
      const refused = await push(h, client, authorizationParams(client, { [name]: value }));
      assert.deepEqual([refused.status, refused.body!.error], [400, error], name);
    }
    assert.equal(await pushedRows(h), before, 'nothing stored');
  });

  test('single use: of two parallel authorizations with one request_uri, one goes on and one is refused', async () => {
    const h = get();
    const { user, agent } = await signedIn(h);
    const client = await h.client(user, 'server');
    const url = useUrl(client, await pushed(h, client));
    const pages = await Promise.all([agent.get(url), agent.get(url)]);
    assert.deepEqual(pages.map((p) => p.status).sort(), [200, 400]);
    assert.deepEqual(authorizeError(pages.find((p) => p.status === 400)!), { where: 'page', error: 'invalid_request_uri' });
    assert.ok(pages.find((p) => p.status === 200)!.field('interaction'), 'the other got the consent page');
  });

  test("expired, unknown, malformed or another client's request_uri: invalid_request_uri on a page; the wrong client leaves it", async () => {
    const h = get();
    const { user, agent } = await signedIn(h);
    const client = await h.client(user, 'server');
    const other = await h.client(user, 'server');

    const requestUri = await pushed(h, client);
    assert.deepEqual(authorizeError(await agent.get(useUrl(other, requestUri))), { where: 'page', error: 'invalid_request_uri' });
    assert.equal((await agent.get(useUrl(client, requestUri))).status, 200, "another client's attempt did not use it up");

    const expiring = await pushed(h, client);
    h.clock.advance(61);
    assert.deepEqual(authorizeError(await agent.get(useUrl(client, expiring))), { where: 'page', error: 'invalid_request_uri' });
    for (const bogus of ['urn:ietf:params:oauth:request_uri:unknown', 'https://evil.example/request', requestUri]) {
      assert.deepEqual(authorizeError(await agent.get(useUrl(client, bogus))), { where: 'page', error: 'invalid_request_uri' }, bogus);
    }
    const noClient = await agent.get(`/oauth/v2/auth?${new URLSearchParams({ request_uri: await pushed(h, client) })}`);
    assert.deepEqual(authorizeError(noClient), { where: 'page', error: 'invalid_request' });
  });

  test('a browser that must sign in first comes back to the request once; the first URL is used up at once', async () => {
    const h = get();
    const user = await h.user();
    const client = await h.client(user, 'server');
    const agent = new BrowserAgent(h.baseUrl);
    const url = useUrl(client, await pushed(h, client, { prompt: 'login' }));

    const start = await agent.get(url);
    assert.equal(start.status, 303);
    assert.match(start.location!, /^\/signin\?return_to=/);
    assert.deepEqual(authorizeError(await agent.get(url)), { where: 'page', error: 'invalid_request_uri' }, 'no replay of the pushed URL');

    const form = await agent.get(start.location!);
    assert.match(form.body, /Sign in to continue to <strong>Test server app<\/strong>/, 'the sign-in page still names the app');
    // Later than the pushed request lives: the continuation lives as long as a consent page.
    h.clock.advance(5 * 60);
    const signIn = await agent.post('/signin', {
      csrf: form.field('csrf'),
      return_to: form.field('return_to'),
      email: user.email,
      password: PASSWORD,
    });
    assert.equal(signIn.status, 303);
    const continuation = signIn.location!;
    assert.match(
      continuation,
      /^\/oauth\/v2\/auth\?client_id=.*&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A.*&sign_in_demand=/,
    );
    const back = await agent.consentTo(continuation);
    assert.equal(back.searchParams.get('state'), 'pushed-state');
    assert.ok(back.searchParams.get('code'));
    assert.deepEqual(
      authorizeError(await agent.get(continuation)),
      { where: 'page', error: 'invalid_request_uri' },
      'nor of the continuation',
    );
  });

  test('a client that requires PAR: a request in the URL is refused on a page; a pushed one is served; a refused setting for a Self Client', async () => {
    const h = get();
    const { user, agent } = await signedIn(h);
    const client = await h.client(user, 'server');
    const stored = (await h.storage.clients.find(client.clientId))!;
    await h.storage.clients.updateFields(client.clientId, { ...stored, requirePushedAuthorizationRequests: true }, h.clock.now());

    const direct = await agent.get(`/oauth/v2/auth?${new URLSearchParams(authorizationParams(client))}`);
    assert.deepEqual(authorizeError(direct), { where: 'page', error: 'invalid_request' });
    assert.match(direct.body, /pushed authorization request endpoint/);
    assert.equal((await agent.get(useUrl(client, await pushed(h, client)))).status, 200);
    // Another client of the same server is not affected.
    const free = await h.client(user, 'server');
    assert.equal((await agent.get(`/oauth/v2/auth?${new URLSearchParams(authorizationParams(free))}`)).status, 200);
  });

  test('discovery names the endpoint; PAR is not required server-wide by default', async () => {
    const h = get();
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const doc = (await h.request(path)).body!;
      assert.equal(doc.pushed_authorization_request_endpoint, 'http://gatehouse.test/oauth/v2/par');
      assert.equal(doc.require_pushed_authorization_requests, false);
    }
  });
});

describeEachStore(
  'pushed authorization requests required server-wide (GATEHOUSE_REQUIRE_PAR)',
  (get) => {
    test('every client must push; discovery says so; pushes count against the code limit, reserved first', async () => {
      const h = get();
      const { user, agent } = await signedIn(h);
      const client = await h.client(user, 'server');
      assert.equal((await h.request('/.well-known/openid-configuration')).body!.require_pushed_authorization_requests, true);

      const direct = await agent.get(`/oauth/v2/auth?${new URLSearchParams(authorizationParams(client))}`);
      assert.deepEqual(authorizeError(direct), { where: 'page', error: 'invalid_request' });
      assert.equal((await agent.get(useUrl(client, await pushed(h, client)))).status, 200);

      // Three per window: one pushed above; of four in parallel, two more pass.
      const racing = await Promise.all(Array.from({ length: 4 }, () => push(h, client, authorizationParams(client))));
      assert.deepEqual(racing.map((r) => r.status).sort(), [201, 201, 429, 429]);
      const refused = racing.find((r) => r.status === 429)!;
      assert.equal(refused.body!.error, 'access_denied');
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
    });
  },
  { requirePushedAuthorizationRequests: true, limits: { codeRate: { count: 3, windowSeconds: 600 } } },
);
