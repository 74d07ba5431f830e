import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import { ApiClient } from './api-client.js';

const ALL = 'ZohoCRM.modules.ALL,ZohoCRM.users.READ,ZohoCRM.org.READ,ZohoCRM.settings.ALL';

describeEachStore(
  'sample CRM API (/crm/v8)',
  (get) => {
    test("the SDKs' start-up calls: current user with email, org with id and zgid, modules, fields", async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      const users = await api.call('GET', '/crm/v8/users?type=CurrentUser');
      assert.equal(users.status, 200);
      assert.match(users.body!.users[0].email, /@example\.com$/);
      assert.match(users.body!.users[0].id, /^[0-9]+$/);
      const org = (await api.call('GET', '/crm/v8/org')).body!.org[0];
      assert.match(org.id, /^[0-9]+$/);
      assert.equal(org.zgid, org.id);
      const modules = (await api.call('GET', '/crm/v8/settings/modules')).body!.modules;
      assert.deepEqual(
        modules.map((m: { api_name: string }) => m.api_name),
        ['Leads', 'Contacts', 'Deals'],
      );
      const fields = (await api.call('GET', '/crm/v8/settings/fields?module=Leads')).body!.fields;
      assert.deepEqual(fields[0], {
        id: fields[0].id,
        api_name: 'Last_Name',
        field_label: 'Last Name',
        display_label: 'Last Name',
        data_type: 'text',
        json_type: 'string',
        system_mandatory: true,
        length: 80,
        pick_list_values: [],
      });
      assert.equal((await api.call('GET', '/crm/v8/settings/fields')).body!.code, 'REQUIRED_PARAM_MISSING');
      assert.equal((await api.call('GET', '/crm/v8/settings/fields?module=Nope')).body!.code, 'INVALID_MODULE');
    });

    test('create, list, get, update, delete: Zoho shapes and statuses', async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      assert.equal((await api.call('GET', '/crm/v8/Leads?fields=Last_Name')).status, 204, 'an empty list is 204 with no body');

      const created = await api.call('POST', '/crm/v8/Leads', {
        data: [{ Last_Name: 'Lee', Email: 'lee@zylker.com', Company: 'Zylker' }, { First_Name: 'No last name' }],
      });
      assert.equal(created.status, 207);
      const [ok, bad] = created.body!.data;
      assert.deepEqual([ok.code, ok.message, ok.status], ['SUCCESS', 'record added', 'success']);
      assert.match(ok.details.id, /^[0-9]{19}$/);
      assert.match(ok.details.Created_Time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
      assert.equal(ok.details.Created_By.name, 'Ann Lee');
      assert.deepEqual(bad, {
        code: 'MANDATORY_NOT_FOUND',
        details: { api_name: 'Last_Name', json_path: '$.data[1].Last_Name' },
        message: 'required field not found',
        status: 'error',
      });
      const id = ok.details.id as string;
      const second = (await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Kim' }] })).body!.data[0].details.id;

      // Both query spellings the official SDKs send; the Node SDK adds content-length: 0 on GET.
      for (const path of ['/crm/v8/Leads?fields=Last_Name%2CEmail', '/crm/v8/Leads?fields=Last_Name,Email&']) {
        const list = await api.call('GET', path, undefined, { 'content-type': 'application/json', 'content-length': '0' });
        assert.equal(list.status, 200, path);
        assert.deepEqual(list.body!.data[1], { Last_Name: 'Lee', Email: 'lee@zylker.com', id });
        assert.deepEqual(list.body!.info, {
          per_page: 200,
          count: 2,
          page: 1,
          sort_by: 'id',
          sort_order: 'desc',
          more_records: false,
          next_page_token: null,
          previous_page_token: null,
          page_token_expiry: null,
        });
      }
      const paged = await api.call('GET', '/crm/v8/Leads?fields=Last_Name&per_page=1&page=1&sort_order=asc');
      assert.deepEqual([paged.body!.data[0].id, paged.body!.info.more_records], [id, true]);
      assert.equal(
        (await api.call('GET', '/crm/v8/Leads?fields=Last_Name&per_page=1&page=2&sort_order=asc')).body!.info.more_records,
        false,
      );
      assert.deepEqual((await api.call('GET', '/crm/v8/Leads')).body, {
        code: 'REQUIRED_PARAM_MISSING',
        details: { param_name: 'fields' },
        message: 'required param is missing',
        status: 'error',
      });

      const one = await api.call('GET', `/crm/v8/Leads/${id}`);
      assert.equal(one.headers.get('content-type'), 'application/json; charset=utf-8');
      assert.equal(one.body!.data[0].Company, 'Zylker');
      assert.equal((await api.call('GET', `/crm/v8/Leads/${id}`)).body!.data[0].Company, 'Zylker', 'a second read answers the same');
      const updated = await api.call('PUT', `/crm/v8/Leads/${id}`, { data: [{ Company: 'Zylker Corp', Lead_Status: 'Contacted' }] });
      assert.deepEqual([updated.status, updated.body!.data[0].message], [200, 'record updated']);
      const reread = (await api.call('GET', `/crm/v8/Leads/${id}`)).body!.data[0];
      assert.deepEqual(
        [reread.Last_Name, reread.Company, reread.Lead_Status],
        ['Lee', 'Zylker Corp', 'Contacted'],
        'an update shows on the next read and keeps the other fields',
      );
      const bulk = await api.call('PUT', '/crm/v8/Leads', {
        data: [{ id: second, Phone: '555-0100' }, { id: '1234567890123456789', Phone: '1' }, { Phone: '2' }],
      });
      assert.equal(bulk.status, 207);
      assert.deepEqual(
        bulk.body!.data.map((d: { code: string }) => d.code),
        ['SUCCESS', 'INVALID_DATA', 'MANDATORY_NOT_FOUND'],
      );

      const removed = await api.call('DELETE', `/crm/v8/Leads?ids=${id},1234567890123456789`);
      assert.equal(removed.status, 207);
      assert.deepEqual(removed.body!.data[0], { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' });
      assert.equal((await api.call('DELETE', `/crm/v8/Leads/${second}`)).status, 200);
      assert.equal((await api.call('GET', `/crm/v8/Leads/${id}`)).status, 204);
      assert.equal((await api.call('DELETE', '/crm/v8/Leads')).body!.code, 'REQUIRED_PARAM_MISSING');
    });

    test('invalid data, modules, paths and methods get Zoho errors and change nothing', async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      const cases: Array<[string, string, unknown, number, string]> = [
        ['POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'Big', Stage: 'Dreaming' }] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'Big', Stage: 'Proposal', Amount: 'lots' }] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'Big', Stage: 'Proposal', Closing_Date: '31/12/2026' }] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'X', Email: 'not-an-email' }] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'X', Shoe_Size: 44 }] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Contacts', { data: [{ Last_Name: 'x'.repeat(81) }] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Contacts', {}, 400, 'MANDATORY_NOT_FOUND'],
        ['POST', '/crm/v8/Contacts', { data: [] }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Contacts', { data: Array.from({ length: 101 }, () => ({ Last_Name: 'X' })) }, 400, 'INVALID_DATA'],
        ['POST', '/crm/v8/Contacts', '{"data": [', 400, 'INVALID_DATA'],
        ['GET', '/crm/v8/Accounts?fields=Name', undefined, 400, 'INVALID_MODULE'],
        ['GET', '/crm/v8/Leads?fields=Nope', undefined, 400, 'INVALID_DATA'],
        ['GET', '/crm/v8/Leads?fields=Last_Name&per_page=500', undefined, 400, 'INVALID_DATA'],
        ['GET', '/crm/v8/Leads?fields=Last_Name&sort_by=Email', undefined, 400, 'INVALID_DATA'],
        ['GET', '/crm/v8/Leads/1/extra/path', undefined, 404, 'INVALID_URL_PATTERN'],
        ['GET', '/crm/v9/Leads', undefined, 404, 'not_found'],
        ['PATCH', '/crm/v8/Leads', undefined, 405, 'INVALID_REQUEST_METHOD'],
      ];
      for (const [method, path, body, status, code] of cases) {
        const res = await api.call(method, path, body);
        assert.equal(res.status, status, `${method} ${path}`);
        assert.equal(res.body!.code ?? res.body!.error ?? res.body!.data?.[0]?.code, code, `${method} ${path}`);
      }
      assert.equal((await api.call('GET', '/crm/v8/Contacts?fields=Last_Name')).status, 204, 'nothing was written');
    });

    test('scopes per module and operation, with the hierarchy; no token, a bad one, a revoked one', async () => {
      const h = get();
      const reader = await ApiClient.forScopes(h, 'ZohoCRM.modules.leads.READ');
      assert.equal((await reader.call('GET', '/crm/v8/Leads?fields=Last_Name')).status, 204);
      const denied = await reader.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'X' }] });
      assert.deepEqual([denied.status, denied.body!.code], [401, 'OAUTH_SCOPE_MISMATCH']);
      assert.equal((await reader.call('GET', '/crm/v8/Contacts?fields=Last_Name')).body!.code, 'OAUTH_SCOPE_MISMATCH');
      assert.equal((await reader.call('GET', '/crm/v8/users?type=CurrentUser')).body!.code, 'OAUTH_SCOPE_MISMATCH');

      const writer = await ApiClient.forScopes(h, 'ZohoCRM.modules.deals.WRITE');
      assert.equal(
        (await writer.call('POST', '/crm/v8/Deals', { data: [{ Deal_Name: 'D', Stage: 'Proposal' }] })).status,
        201,
        'WRITE covers CREATE',
      );
      assert.equal((await writer.call('GET', '/crm/v8/Deals?fields=Deal_Name')).body!.code, 'OAUTH_SCOPE_MISMATCH', 'but not READ');
      const allReader = await ApiClient.forScopes(h, 'ZohoCRM.modules.READ');
      assert.equal((await allReader.call('GET', '/crm/v8/Deals?fields=Deal_Name')).status, 204, 'modules.READ reads every module');

      const anonymous = await fetch(`${h.baseUrl}/crm/v8/Leads?fields=Last_Name`);
      assert.equal(anonymous.status, 401);
      assert.equal(((await anonymous.json()) as { code: string }).code, 'AUTHENTICATION_FAILURE');
      assert.ok(anonymous.headers.get('www-authenticate')?.startsWith('Bearer realm='));
      const forged = new ApiClient(h, `1000.${'a'.repeat(32)}.${'b'.repeat(32)}`);
      assert.equal((await forged.call('GET', '/crm/v8/Leads?fields=Last_Name')).body!.code, 'INVALID_TOKEN');
      // Read by id twice: the second answer comes from the store's memory (the read path without a promise).
      const byId = `/crm/v8/Leads/${'4'.repeat(19)}`;
      for (let i = 0; i < 2; i++) assert.equal((await reader.call('GET', byId)).status, 204);
      await h.post('/oauth/v2/token/revoke', { token: reader.token });
      assert.equal((await reader.call('GET', '/crm/v8/Leads?fields=Last_Name')).body!.code, 'INVALID_TOKEN', 'revocation is immediate');
      assert.equal((await reader.call('GET', byId)).body!.code, 'INVALID_TOKEN', 'also for a token read from memory');
    });

    test("a user never sees or touches another user's records", async () => {
      const h = get();
      const alice = await ApiClient.forScopes(h, ALL);
      const bob = await ApiClient.forScopes(h, ALL);
      const id = (await alice.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Secret' }] })).body!.data[0].details.id;
      // Alice's reads put the record in the store's memory; Bob must not find it there either.
      for (let i = 0; i < 2; i++) assert.equal((await alice.call('GET', `/crm/v8/Leads/${id}`)).status, 200);
      assert.equal((await bob.call('GET', '/crm/v8/Leads?fields=Last_Name')).status, 204);
      assert.equal((await bob.call('GET', `/crm/v8/Leads/${id}`)).status, 204);
      assert.equal((await bob.call('PUT', `/crm/v8/Leads/${id}`, { data: [{ Last_Name: 'Mine' }] })).body!.data[0].code, 'INVALID_DATA');
      assert.equal((await bob.call('DELETE', `/crm/v8/Leads/${id}`)).body!.data[0].code, 'INVALID_DATA');
      assert.equal((await alice.call('GET', `/crm/v8/Leads/${id}`)).body!.data[0].Last_Name, 'Secret');
    });
  },
  { limits: { codeRate: null } },
);
