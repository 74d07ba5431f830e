import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { buildStageRequest } from '../../src/zest/client/stage-request.js';
import { whoAmI } from '../../src/zest/client/whoami.js';
import type { ZestOAuth2, ZestStage } from '../../src/zest/model.js';
import { parseZestSchema } from '../../src/zest/parse-xml.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachStore } from '../support/each-store.js';

const REDIRECT = 'https://app.example.com/callback';
const VERIFIER = 'v'.repeat(43);

/** Every documented argument of a stage must have a value here: a newly documented one makes this test name it. */
function valuesFor(stage: ZestStage, values: Record<string, string>): Record<string, string> {
  assert.deepEqual(
    stage.operation.arguments.map((a) => a.name).sort(),
    Object.keys(values).sort(),
    `a value for every argument of ${stage.path}`,
  );
  for (const argument of stage.operation.arguments) {
    const allowed = argument.content.structure.properties[0]?.values;
    const sent = argument.delimiter ? values[argument.name]!.split(argument.delimiter) : [values[argument.name]!];
    if (allowed) for (const value of sent) assert.ok(allowed.includes(value), `${value} is a documented value of ${argument.name}`);
  }
  return values;
}

async function send(stage: ZestStage, values: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }> {
  const request = buildStageRequest(stage, values);
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body ? { body: request.body } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function documentedFields(stage: ZestStage): string[] {
  return stage.operation.responses.find((r) => r.status === '200')!.content!.structure.properties.map((p) => p.name!);
}

describeEachStore(
  'ZEST: every documented argument, sent to the real server',
  (get) => {
    test('each stage accepts all its documented arguments and answers with documented fields only', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const schema = parseZestSchema(await (await fetch(`${h.baseUrl}/.well-known/zest/authentication-schema.xml`)).text());
      const oauth2: ZestOAuth2 = schema.oauth2[0]!;
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(user.email, 'correct horse battery');
      // An id_token of this client for this user, for id_token_hint.
      const earlier = await h.exchange(client, await h.webCode(client.clientId, user, { scope: 'openid' }), { redirect_uri: REDIRECT });

      const authorize = valuesFor(oauth2.authorizationUrl, {
        client_id: client.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT,
        scope: 'ZohoCRM.modules.leads.READ,AaaServer.profile.READ',
        access_type: 'offline',
        prompt: 'consent',
        state: 'st&te',
        code_challenge: createHash('sha256').update(VERIFIER).digest('base64url'),
        code_challenge_method: 'S256',
        response_mode: 'query',
        nonce: 'n-0S6',
        max_age: '3600',
        acr_values: 'urn:gatehouse:loa:1',
        claims: JSON.stringify({ id_token: { auth_time: { essential: true } } }),
        login_hint: user.email,
        id_token_hint: earlier.id_token!,
        ui_locales: 'en',
      });
      const consent = await agent.get(buildStageRequest(oauth2.authorizationUrl, authorize).url);
      assert.equal(consent.status, 200, 'the consent page');
      const answer = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const redirect = answer.redirectParams();
      assert.equal(redirect.get('state'), 'st&te');

      const tokens = await send(
        oauth2.tokenUrl,
        valuesFor(oauth2.tokenUrl, {
          grant_type: 'authorization_code',
          client_id: client.clientId,
          client_secret: client.clientSecret!,
          code: redirect.get('code')!,
          redirect_uri: REDIRECT,
          code_verifier: VERIFIER,
        }),
      );
      assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
      for (const field of Object.keys(tokens.body)) assert.ok(documentedFields(oauth2.tokenUrl).includes(field), `${field} is documented`);
      assert.ok(tokens.body.refresh_token);

      const refreshed = await send(
        oauth2.refreshUrl,
        valuesFor(oauth2.refreshUrl, {
          grant_type: 'refresh_token',
          client_id: client.clientId,
          client_secret: client.clientSecret!,
          refresh_token: tokens.body.refresh_token as string,
          scope: 'AaaServer.profile.READ',
        }),
      );
      assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
      // id_token is documented for refreshes with openid granted (OIDC Core §12.2); this grant has none.
      const expected = documentedFields(oauth2.refreshUrl).filter((field) => field !== 'id_token');
      assert.deepEqual(Object.keys(refreshed.body).sort(), expected.sort());

      const info = await whoAmI(oauth2, refreshed.body.access_token as string);
      assert.deepEqual(Object.keys(info).sort(), documentedFields(oauth2.authenticationUrl!).sort());
      assert.equal(info.Email, user.email);
    });

    test('a value outside the documented set is refused by the server', async () => {
      const h = get();
      const user = await h.user();
      const client = await h.client(user, 'server');
      const oauth2 = parseZestSchema(await (await fetch(`${h.baseUrl}/.well-known/zest/authentication-schema.xml`)).text()).oauth2[0]!;
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(user.email, 'correct horse battery');
      const valid = { client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope: 'AaaServer.profile.READ' };
      const enumerated = oauth2.authorizationUrl.operation.arguments.filter((a) => a.content.structure.properties[0]?.values);
      assert.deepEqual(
        enumerated.map((a) => a.name),
        ['response_type', 'scope', 'access_type', 'prompt', 'code_challenge_method', 'response_mode'],
      );
      for (const argument of enumerated) {
        const extra = argument.name === 'code_challenge_method' ? { code_challenge: 'c'.repeat(43) } : {};
        const page = await agent.get(
          buildStageRequest(oauth2.authorizationUrl, { ...valid, ...extra, [argument.name]: 'Undocumented.value.READ' }).url,
        );
        assert.equal(page.status, 303, argument.name);
        assert.ok(page.redirectParams().get('error'), `${argument.name}: ${page.location}`);
      }
    });
  },
  { issuer: 'base-url', limits: { codeRate: null } },
);
