import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeProtectedHeader, exportJWK, generateKeyPair } from 'jose';
import { applySeed, SeedInvalidError, type SeedResult } from '../../src/seed/apply-seed.js';
import type { ManagementError } from '../../src/core/errors/management-error.js';
import { hashPassword, verifyPassword } from '../../src/core/users/passwords.js';
import { ASSERTION_TYPE, clientAssertion } from '../support/client-assertion.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import { exampleSeed, freshSeed, INVALID_CASES, seedIds, seedWith } from './seed-cases.js';

const apply = (h: Harness, seed: unknown) => applySeed(seed, h.gatehouse, h.storage.records);

/** What applying the file did, per kind, as `created/updated/unchanged`. */
function outcomes(result: SeedResult): Record<string, string> {
  return Object.fromEntries(Object.entries(result.counts).map(([kind, c]) => [kind, `${c.created}/${c.updated}/${c.unchanged}`]));
}

async function problemsOf(h: Harness, seed: unknown): Promise<Array<{ path: string; message: string }>> {
  const err = await apply(h, seed).then(
    () => assert.fail('the seed was applied'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof SeedInvalidError, String(err));
  return [...err.problems];
}

async function token(h: Harness, form: Record<string, string>) {
  return h.post('/oauth/v2/token', form);
}

describeEachStore('seed file', (get) => {
  test('the example applies, and a second run changes nothing: same IDs, same secrets, the fixed credentials work', async () => {
    const h = get();
    const seed = exampleSeed();
    const first = await apply(h, seed);
    assert.equal(first.changed, true);
    assert.deepEqual(outcomes(first), { users: '3/0/0', clients: '5/0/0', refresh_tokens: '1/0/0', consents: '1/0/0', records: '3/0/0' });
    const before = await h.snapshot();
    const second = await apply(h, exampleSeed());
    assert.equal(second.changed, false);
    assert.deepEqual(outcomes(second), { users: '0/0/3', clients: '0/0/5', refresh_tokens: '0/0/1', consents: '0/0/1', records: '0/0/3' });
    assert.deepEqual(await h.snapshot(), before, 'the second run wrote nothing, not even an audit event');

    const [admin, ann, old] = await Promise.all(seed.users.map((u: { email: string }) => h.storage.users.findByEmail(u.email)));
    assert.equal(admin!.isAdmin, true);
    assert.equal(ann!.isAdmin, false);
    assert.equal(old!.disabled, true);
    assert.ok(await verifyPassword(ann!.passwordHash, 'correct horse battery'));
    assert.match(ann!.passwordHash, /^\$argon2id\$/);

    // The Self Client's fixed secret, stored as its keyed hash, passes client_credentials.
    const self = seed.clients[0];
    const stored = await h.storage.clients.find(self.client_id);
    assert.notEqual(stored!.secretHash, self.client_secret);
    const cc = await token(h, {
      grant_type: 'client_credentials',
      client_id: self.client_id,
      client_secret: self.client_secret,
      scope: 'ZohoCRM.modules.ALL',
    });
    assert.equal(cc.status, 200, JSON.stringify(cc.body));

    // The fixed refresh token is redeemed as any other, and its access token reads the seeded record via the sample API.
    const refreshed = await token(h, {
      grant_type: 'refresh_token',
      client_id: self.client_id,
      client_secret: self.client_secret,
      refresh_token: seed.refresh_tokens[0].token,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    const lead = seed.records[0];
    const read = await h.request(`/crm/v8/Leads/${lead.id}`, {
      headers: { authorization: `Zoho-oauthtoken ${refreshed.body!.access_token}` },
    });
    assert.equal(read.status, 200, JSON.stringify(read.body));
    assert.equal(read.body!.data[0].Last_Name, 'Tanaka');
    assert.equal(read.body!.data[0].Owner.id, ann!.zuid);
    const workOrder = await h.request(`/fsm/v1/Work_Orders/${seed.records[2].id}`, {
      headers: { authorization: `Zoho-oauthtoken ${refreshed.body!.access_token}` },
    });
    // The token's scope is CRM's; the FSM record is there, but not for this token.
    assert.notEqual(workOrder.status, 200);

    const consent = await h.storage.consents.find(ann!.zuid, seed.consents[0].client_id);
    assert.match(consent!.scopes, /ZohoCRM\.modules\.ALL/);
  });

  test('changes in the file update what they name, and only that; each change is audited without a secret', async () => {
    const h = get();
    const seed = freshSeed();
    await apply(h, seed);
    const ann = (await h.storage.users.findByEmail(seed.users[0].email))!;
    const oldSecret = seed.clients[1].client_secret;
    const oldToken = seed.refresh_tokens[0].token;

    seed.users[0].last_name = 'Lee-Park';
    seed.users[0].password = 'a brand new password';
    seed.users[1].admin = false;
    seed.users[1].disabled = true;
    seed.clients[1].client_secret = seedIds.clientSecret();
    seed.clients[1].redirect_uris.push('https://web.example.com/second');
    seed.clients[1].id_token_signed_response_alg = 'ES256';
    seed.clients[1].userinfo_signed_response_alg = 'EdDSA';
    seed.refresh_tokens[0].scope = 'ZohoCRM.modules.leads.READ';
    seed.consents[0].scope = 'ZohoCRM.modules.leads.ALL';
    seed.records[0].fields.Company = 'Tanaka & Sons';
    const result = await apply(h, seed);
    assert.deepEqual(outcomes(result), { users: '0/2/0', clients: '0/1/2', refresh_tokens: '0/1/0', consents: '0/1/0', records: '0/1/0' });

    const after = (await h.storage.users.findByEmail(seed.users[0].email))!;
    assert.equal(after.zuid, ann.zuid, 'an update keeps the ZUID');
    assert.equal(after.displayName, 'Ann Lee-Park');
    assert.ok(await verifyPassword(after.passwordHash, 'a brand new password'));
    const bob = (await h.storage.users.findByEmail(seed.users[1].email))!;
    assert.deepEqual([bob.isAdmin, bob.disabled], [false, true]);
    const web = (await h.storage.clients.find(seed.clients[1].client_id))!;
    assert.deepEqual(web.redirectUris, ['https://web.example.com/callback', 'https://web.example.com/second']);
    assert.deepEqual([web.idTokenSignedResponseAlg, web.userinfoSignedResponseAlg], ['ES256', 'EdDSA']);

    const cc = (secret: string) =>
      token(h, { grant_type: 'refresh_token', client_id: seed.clients[1].client_id, client_secret: secret, refresh_token: 'x' });
    assert.equal((await cc(oldSecret)).body!.error, 'invalid_client', 'the old secret stopped working');
    assert.notEqual((await cc(seed.clients[1].client_secret)).body!.error, 'invalid_client');

    const refreshed = await token(h, {
      grant_type: 'refresh_token',
      client_id: seed.clients[0].client_id,
      client_secret: seed.clients[0].client_secret,
      refresh_token: oldToken,
    });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal(refreshed.body!.scope, 'ZohoCRM.modules.leads.READ', 'the token now carries the new scope');
    const record = await h.storage.records.get(ann.zuid, 'crm.Leads', seed.records[0].id);
    assert.equal(record!.data.Company, 'Tanaka & Sons');

    const events = await h.storage.auditEvents.list({ limit: 200 });
    const types = (zuid: string) => events.filter((e) => e.userZuid === zuid && e.actor.kind === 'cli').map((e) => e.type);
    for (const type of ['user.created', 'user.password.reset', 'client.created', 'client.updated', 'client.secret.rotated', 'grant.seeded'])
      assert.ok(types(ann.zuid).includes(type as never), `${type} in ${types(ann.zuid).join(', ')}`);
    for (const type of ['user.role.changed', 'user.disabled', 'consent.granted'])
      assert.ok(types(bob.zuid).includes(type as never), `${type} in ${types(bob.zuid).join(', ')}`);
    const logged = JSON.stringify(events);
    for (const secret of [oldSecret, seed.clients[1].client_secret, oldToken, 'a brand new password'])
      assert.ok(!logged.includes(secret), 'no secret in the audit log');

    assert.equal((await apply(h, seed)).changed, false);
  });

  test('a pre-hashed password is stored as given; references reach users and clients already in the database', async () => {
    const h = get();
    const existingUser = await h.user();
    const existingClient = await h.client(existingUser, 'server');
    const passwordHash = await hashPassword('hashed elsewhere');
    const email = `hashed-${seedIds.clientSecret().slice(0, 8)}@example.com`;
    const seed = {
      users: [{ email, first_name: 'Hash', last_name: 'Ed', password_hash: passwordHash }],
      clients: [
        {
          client_id: seedIds.clientId(),
          client_secret: seedIds.clientSecret(),
          type: 'device',
          owner: existingUser.email,
          name: 'TV',
          homepage: 'https://tv.example.com',
        },
      ],
      consents: [{ user: email, client_id: existingClient.clientId, scope: 'ZohoCRM.modules.ALL' }],
    };
    assert.deepEqual(outcomes(await apply(h, seed)), {
      users: '1/0/0',
      clients: '1/0/0',
      refresh_tokens: '0/0/0',
      consents: '1/0/0',
      records: '0/0/0',
    });
    assert.equal((await h.storage.users.findByEmail(email))!.passwordHash, passwordHash);
    assert.equal((await apply(h, seed)).changed, false);
  });

  test('every kind of problem is reported with its JSON path, and nothing is written', async () => {
    const h = get();
    const before = await h.snapshot();
    for (const c of INVALID_CASES) {
      const problems = await problemsOf(h, seedWith(c.change));
      assert.ok(
        problems.some((p) => p.path === c.path && c.message.test(p.message)),
        `${c.name}: expected ${c.path} ${c.message}, got ${JSON.stringify(problems)}`,
      );
    }
    // All of them at once: one run reports every one (those that do not hide each other).
    const together = seedWith((s) => {
      s.users[0].password = 'short';
      // The consent below names this client: a client whose entry is wrong is not reported again where it is named.
      s.clients[1].client_secret = 'ABC';
      s.clients[2].redirect_uris = ['https://spa.example.com/#x'];
      s.consents[0].scope = 'Nope.scope.READ';
      s.records[0].fields = {};
    });
    const paths = (await problemsOf(h, together)).map((p) => p.path);
    assert.deepEqual(paths, [
      '$.users[0].password',
      '$.clients[1].client_secret',
      '$.clients[2].redirect_uris[0]',
      '$.consents[0].scope',
      '$.records[0].fields.Last_Name',
    ]);
    assert.deepEqual(await h.snapshot(), before, 'no problem case wrote anything');
  });

  test('require_pushed_authorization_requests: set and cleared by the file; refused for a Self Client with its path', async () => {
    const h = get();
    const seed = freshSeed();
    seed.clients[1].require_pushed_authorization_requests = true;
    await apply(h, seed);
    const stored = async () => (await h.storage.clients.find(seed.clients[1].client_id))!.requirePushedAuthorizationRequests;
    assert.equal(await stored(), true);
    seed.clients[1].require_pushed_authorization_requests = false;
    assert.equal(outcomes(await apply(h, seed)).clients, '0/1/2');
    assert.equal(await stored(), false);
    const refused = await problemsOf(
      h,
      seedWith((s) => (s.clients[0].require_pushed_authorization_requests = true)),
    );
    assert.ok(
      refused.some((p) => p.path === '$.clients[0].require_pushed_authorization_requests'),
      JSON.stringify(refused),
    );
  });

  test('client keys, authentication method and token format from the file: stored, unchanged by a second run, used at once; a private key is refused with its path', async () => {
    const h = get();
    const seed = freshSeed();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'seeded' };
    seed.clients[1].token_endpoint_auth_method = 'private_key_jwt';
    seed.clients[1].jwks = { keys: [jwk] };
    seed.clients[1].require_signed_request_object = true;
    seed.clients[0].access_token_format = 'jwt';
    await apply(h, seed);
    const web = (await h.storage.clients.find(seed.clients[1].client_id))!;
    assert.deepEqual([web.tokenEndpointAuthMethod, web.jwks, web.requireSignedRequestObject], ['private_key_jwt', { keys: [jwk] }, true]);
    assert.equal(outcomes(await apply(h, seed)).clients, '0/0/3', 'a second run changes nothing');

    const self = seed.clients[0];
    const cc = await token(h, {
      grant_type: 'client_credentials',
      client_id: self.client_id,
      client_secret: self.client_secret,
      scope: 'ZohoCRM.modules.ALL',
    });
    assert.equal(cc.status, 200, JSON.stringify(cc.body));
    assert.equal(decodeProtectedHeader(cc.body!.access_token).typ, 'at+jwt', 'the seeded format: RFC 9068 JWTs');

    const clientId = web.clientId;
    const assertion = await clientAssertion(clientId, h.gatehouse.config.issuer, privateKey, {
      kid: 'seeded',
      nowS: Math.floor(h.clock.now() / 1000),
    });
    const byKey = await h.post('/oauth/v2/introspect', {
      token: 'x',
      client_id: clientId,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: assertion,
    });
    assert.deepEqual([byKey.status, byKey.body], [200, { active: false }]);
    const bySecret = await h.post('/oauth/v2/introspect', {
      token: 'x',
      client_id: clientId,
      client_secret: seed.clients[1].client_secret,
    });
    assert.equal(bySecret.body!.error, 'invalid_client', 'the seeded secret no longer authenticates a private_key_jwt client');

    const before = await h.snapshot();
    const refused = await problemsOf(
      h,
      seedWith((s) => {
        s.clients[1].token_endpoint_auth_method = 'private_key_jwt';
        s.clients[1].jwks = { keys: [{ ...jwk, d: 'jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI' }] };
      }),
    );
    assert.ok(
      refused.some((p) => p.path.startsWith('$.clients[1].jwks')),
      JSON.stringify(refused),
    );
    assert.deepEqual(await h.snapshot(), before, 'nothing written');
  });

  test("records are written after the rest: an ID held by another user's record fails there, and a re-run finishes", async () => {
    const h = get();
    const other = await h.user();
    const seed = freshSeed();
    const taken = seed.records[0].id;
    await h.storage.records.create({
      id: taken,
      module: 'crm.Leads',
      ownerZuid: other.zuid,
      data: { Last_Name: 'Theirs' },
      createdAt: 1,
      modifiedAt: 1,
    });
    const err = await apply(h, seed).then(
      () => assert.fail('the seed was applied'),
      (e: unknown) => e as ManagementError,
    );
    assert.deepEqual([err.code, err.field], ['seed.record_failed', '$.records[0]']);
    assert.ok(await h.storage.users.findByEmail(seed.users[0].email), 'the users were applied before the records');
    assert.equal(
      (await h.storage.records.get(other.zuid, 'crm.Leads', taken))!.data.Last_Name,
      'Theirs',
      "the other user's record is untouched",
    );
    seed.records[0].id = seedIds.recordId();
    assert.deepEqual(outcomes(await apply(h, seed)), {
      users: '0/0/2',
      clients: '0/0/3',
      refresh_tokens: '0/0/1',
      consents: '0/0/1',
      records: '1/0/0',
    });
  });

  test('a seed cannot move an existing client to another owner or type, nor take a token beyond the limit', async () => {
    const h = get();
    const seed = freshSeed();
    await apply(h, seed);
    const before = await h.snapshot();
    const moved = structuredClone(seed);
    moved.clients[1].owner = seed.users[1].email;
    moved.clients[1].type = 'mobile';
    const problems = await problemsOf(h, moved);
    assert.deepEqual(problems.map((p) => p.path).sort(), ['$.clients[1].owner', '$.clients[1].type']);
    assert.match(problems.find((p) => p.path.endsWith('type'))!.message, /cannot change a client's type/);
    const tooMany = structuredClone(seed);
    const limit = h.gatehouse.config.limits.refreshTokens!;
    for (let i = 0; i < limit; i++) tooMany.refresh_tokens.push({ ...seed.refresh_tokens[0], token: seedIds.token() });
    const limited = await problemsOf(h, tooMany);
    assert.deepEqual(
      limited.map((p) => p.path),
      [`$.refresh_tokens[${limit}]`],
    );
    assert.match(limited[0]!.message, /more than 20 refresh tokens/);
    assert.deepEqual(await h.snapshot(), before);
  });
});

describeEachStore(
  'seed file: fixed refresh tokens count toward the refresh-token limit',
  (get) => {
    test('a seeded token evicts the oldest of a full (user, client) pair, and a file with more than the limit is refused', async () => {
      const h = get();
      const seed = freshSeed();
      const fixed = seed.refresh_tokens.pop();
      await apply(h, seed);
      const self = { clientId: seed.clients[0].client_id, clientSecret: seed.clients[0].client_secret, redirectUris: [] };
      const issued: string[] = [];
      for (let i = 0; i < 2; i++) {
        issued.push((await h.exchange(self, await h.selfClientCode(self.clientId))).refresh_token!);
        h.clock.advance(1);
      }
      seed.refresh_tokens.push(fixed);
      assert.deepEqual(outcomes(await apply(h, seed)).refresh_tokens, '1/0/0');
      assert.equal((await h.refresh(self, issued[0]!)).status, 400, 'the oldest was evicted');
      assert.equal((await h.refresh(self, issued[1]!)).status, 200);
      assert.equal((await h.refresh(self, fixed.token)).status, 200);

      seed.refresh_tokens.push({ ...fixed, token: seedIds.token() }, { ...fixed, token: seedIds.token() });
      const problems = await problemsOf(h, seed);
      assert.deepEqual(
        problems.map((p) => p.path),
        ['$.refresh_tokens[2]'],
      );
      assert.match(problems[0]!.message, /more than 2 refresh tokens/);
    });
  },
  { limits: { refreshTokens: 2 } },
);
