import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLI_CONTEXT } from '../../src/core/audit/audit-log.js';
import { findClient, rotateClientSecret } from '../../src/core/clients/register-client.js';
import { createOrganisation, setOrgMember } from '../../src/core/orgs/administer-organisations.js';
import { describeEachStore } from '../support/each-store.js';

describeEachStore('client_credentials grant', (get) => {
  test('a Self Client gets an access token for its scopes, with no refresh token', async () => {
    const h = get();
    const sam = await h.user({ firstName: 'Sam' });
    const client = await h.client(sam, 'self');
    const org = await createOrganisation('Zylker', sam, CLI_CONTEXT, h.gatehouse);
    const res = await h.post('/oauth/v2/token', {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      scope: 'ZohoCRM.modules.ALL,AaaServer.profile.READ',
      soid: `ZohoCRM.${org.id}`,
    });
    assert.equal(res.status, 200);
    assert.equal(res.body!.refresh_token, undefined);
    assert.equal(res.body!.scope, 'ZohoCRM.modules.ALL AaaServer.profile.READ');
    const info = await h.request('/oauth/user/info', { headers: { authorization: `Bearer ${res.body!.access_token}` } });
    assert.equal(info.body!.First_Name, 'Sam', "the token acts as the Self Client's owner");
  });

  test('other client types may not use it', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'server');
    const res = await h.post('/oauth/v2/token', {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      scope: 'ZohoCRM.modules.ALL',
    });
    assert.equal(res.status, 400);
    assert.equal(res.body!.error, 'unauthorized_client');
  });

  test('scope is required and must be known; soid must be well formed', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const base = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret! };
    assert.equal((await h.post('/oauth/v2/token', base)).body!.error, 'invalid_request');
    const unknown = await h.post('/oauth/v2/token', { ...base, scope: 'ZohoCRM.modules.ALL,ZohoMail.messages.READ' });
    assert.equal(unknown.body!.error, 'invalid_scope');
    assert.match(unknown.body!.error_description, /ZohoMail\.messages\.READ/);
    assert.equal((await h.post('/oauth/v2/token', { ...base, scope: 'ZohoCRM.modules.ALL', soid: 'nope' })).body!.error, 'invalid_request');
  });

  test("soid must name an organisation the Self Client's owner administers: missing_org_info otherwise, nothing issued", async () => {
    const h = get();
    const owner = await h.user();
    const other = await h.user();
    const client = await h.client(owner, 'self');
    const form = (soid: string) => ({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      scope: 'ZohoCRM.modules.ALL',
      soid,
    });
    const theirs = await createOrganisation('Theirs', other, CLI_CONTEXT, h.gatehouse);
    const before = await h.snapshot();
    for (const soid of ['ZohoCRM.60012345678', `ZohoCRM.${theirs.id}`]) {
      const refused = await h.post('/oauth/v2/token', form(soid));
      assert.equal(refused.status, 400, soid);
      assert.equal(refused.body!.error, 'missing_org_info', soid);
    }
    assert.deepEqual(await h.snapshot(), before, 'a refusal stores nothing');
    await setOrgMember(theirs, owner, 'user', CLI_CONTEXT, h.gatehouse);
    assert.equal(
      (await h.post('/oauth/v2/token', form(`ZohoCRM.${theirs.id}`))).body!.error,
      'missing_org_info',
      'a member who is no admin',
    );
    await setOrgMember(theirs, owner, 'admin', CLI_CONTEXT, h.gatehouse);
    const granted = await h.post('/oauth/v2/token', form(`ZohoCRM.${theirs.id}`));
    assert.equal(granted.status, 200, JSON.stringify(granted.body));
    const events = await h.storage.auditEvents.list({ userZuid: owner.zuid, limit: 5 });
    assert.deepEqual(
      events.map((e) => [e.type, e.subject, e.detail]),
      [
        ['org.member.role.changed', theirs.id, `Theirs: ${owner.email} is admin`],
        ['org.member.added', theirs.id, `Theirs: ${owner.email} is user`],
      ],
    );
  });

  test('a rotated secret stops working at once, though the client was just authenticated from memory', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const request = (secret: string) =>
      h.post('/oauth/v2/token', {
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: secret,
        scope: 'ZohoCRM.modules.ALL',
      });
    // The second request finds the client in the store's memory (SQLite), not in the database.
    for (let i = 0; i < 2; i++) assert.equal((await request(client.clientSecret!)).status, 200);
    const { storage, hasher, now } = h.gatehouse;
    const deps = { users: storage.users, clients: storage.clients, hasher, now };
    const { clientSecret } = await rotateClientSecret(await findClient(client.clientId, storage.clients), deps);
    const old = await request(client.clientSecret!);
    assert.deepEqual([old.status, old.body!.error], [401, 'invalid_client']);
    assert.equal((await request(clientSecret!)).status, 200);
  });
});
