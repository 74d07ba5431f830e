import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zohoTime } from '../../src/resources/record-shapes.js';
import { describeEachStore } from '../support/each-store.js';
import type { Harness } from '../support/harness.js';
import { ApiClient } from './api-client.js';

const ALL = 'ZohoCRM.modules.ALL';

async function userOf(api: ApiClient): Promise<string> {
  return (await api.call('GET', '/crm/v8/Leads?fields=Owner&per_page=1')).body!.data[0].Owner.id;
}

/** `count` leads made straight through the record store (a seed), IDs ascending with creation. */
async function seedLeads(h: Harness, ownerZuid: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  const start = h.clock.now();
  for (let i = 0; i < count; i++) {
    const id = String(5_000_000_000_000_000_000n + BigInt(i));
    await h.storage.records.create({
      id,
      module: 'crm.Leads',
      ownerZuid,
      data: { Last_Name: `Seed ${i}` },
      createdAt: start + i,
      modifiedAt: start + i,
    });
    ids.push(id);
  }
  return ids;
}

describeEachStore(
  'sample CRM API: search, upsert, page tokens, If-Modified-Since',
  (get) => {
    test('search by criteria (equals, starts_with, in, between, and/or, escapes), email, phone and word', async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      const made = await api.call('POST', '/crm/v8/Leads', {
        data: [
          { Last_Name: 'Burns,B', First_Name: 'Mia', Email: 'mia@zylker.com', Company: 'Zylker (East)', Lead_Source: 'Partner' },
          { Last_Name: 'Burns', First_Name: 'Max', Email: 'max@zylker.com', Phone: '555-0100', Lead_Source: 'Cold Call' },
          { Last_Name: 'Chen', First_Name: 'Ann', Company: 'Acme', Description: 'met at the Zylker expo', Lead_Source: 'Trade Show' },
        ],
      });
      assert.equal(made.status, 201);
      const [mia, max, ann] = made.body!.data.map((d: { details: { id: string } }) => d.details.id);
      const deals = await api.call('POST', '/crm/v8/Deals', {
        data: [
          { Deal_Name: 'Small', Stage: 'Proposal', Amount: 10, Closing_Date: '2026-01-15' },
          { Deal_Name: 'Large', Stage: 'Proposal', Amount: 1000.5, Closing_Date: '2026-03-01' },
        ],
      });
      const [small, large] = deals.body!.data.map((d: { details: { id: string } }) => d.details.id);

      const found = async (path: string) => {
        const res = await api.call('GET', path);
        assert.ok(res.status === 200 || res.status === 204, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
        return (res.body?.data ?? []).map((r: { id: string }) => r.id).sort();
      };
      const q = (criteria: string) => `/crm/v8/Leads/search?criteria=${encodeURIComponent(criteria)}`;
      assert.deepEqual(await found(q('(Last_Name:equals:Burns\\,B)')), [mia]);
      assert.deepEqual(await found(q('(Last_Name:equals:Burns)')), [max], 'equals is exact: not Burns,B');
      assert.deepEqual(await found(q('(Last_Name:starts_with:Burns)')), [mia, max].sort());
      assert.deepEqual(await found(q('(Last_Name:starts_with:burns)')), [], 'case-sensitive, on both stores');
      assert.deepEqual(await found(q('(Last_Name:starts_with:%)')), [], 'no LIKE wildcards');
      assert.deepEqual(await found(q('(Company:equals:Zylker \\(East\\))')), [mia]);
      assert.deepEqual(await found(q('(Lead_Source:in:Partner,Trade Show)')), [mia, ann].sort());
      assert.deepEqual(await found(q('((Last_Name:starts_with:Burns)and(First_Name:equals:Max))')), [max]);
      assert.deepEqual(await found(q('((First_Name:equals:Mia)or(First_Name:equals:Ann))')), [mia, ann].sort());
      assert.deepEqual(await found(q('(((First_Name:equals:Mia)or(First_Name:equals:Ann))and(Company:equals:Acme))')), [ann]);
      assert.deepEqual(await found(`/crm/v8/Leads/search?email=max%40zylker.com`), [max]);
      assert.deepEqual(await found(`/crm/v8/Leads/search?phone=555-0100`), [max]);
      assert.deepEqual(await found(`/crm/v8/Leads/search?word=Zylker`), [mia, ann].sort(), 'in Company or Description');
      const dq = (criteria: string) => `/crm/v8/Deals/search?criteria=${encodeURIComponent(criteria)}`;
      assert.deepEqual(await found(dq('(Amount:between:5,100)')), [small]);
      assert.deepEqual(await found(dq('(Amount:between:5,2000)')), [small, large].sort());
      assert.deepEqual(await found(dq('(Amount:equals:1000.5)')), [large]);
      assert.deepEqual(await found(dq('(Amount:in:10,11)')), [small]);
      assert.deepEqual(await found(dq('(Closing_Date:between:2026-02-01,2026-12-31)')), [large]);

      const page = await api.call('GET', `${q('(Last_Name:starts_with:Burns)')}&fields=Last_Name&per_page=1`);
      assert.deepEqual(page.body!.info, { per_page: 1, count: 1, page: 1, more_records: true });
      assert.deepEqual(Object.keys(page.body!.data[0]).sort(), ['Last_Name', 'id']);
      const none = await api.call('GET', q('(Last_Name:equals:Nobody)'));
      assert.deepEqual([none.status, none.body], [204, undefined]);
    });

    test('bad search input is 400 in Zoho’s envelope, never a 500', async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      const cases: Array<[string, string]> = [
        ['/crm/v8/Leads/search', 'REQUIRED_PARAM_MISSING'],
        ['/crm/v8/Leads/search?criteria=', 'INVALID_QUERY'],
        ['/crm/v8/Leads/search?criteria=(Last_Name:likes:x)', 'INVALID_QUERY'],
        ['/crm/v8/Leads/search?criteria=(Shoe_Size:equals:44)', 'INVALID_QUERY'],
        ['/crm/v8/Leads/search?criteria=(Last_Name:between:a,b)', 'INVALID_QUERY'],
        ['/crm/v8/Deals/search?criteria=(Amount:starts_with:1)', 'INVALID_QUERY'],
        ['/crm/v8/Deals/search?criteria=(Amount:equals:lots)', 'INVALID_QUERY'],
        ['/crm/v8/Deals/search?criteria=(Closing_Date:equals:31/12/2026)', 'INVALID_QUERY'],
        ['/crm/v8/Deals/search?email=a%40b.c', 'INVALID_QUERY'],
        ['/crm/v8/Leads/search?email=a%40b.c&word=x', 'INVALID_QUERY'],
        ['/crm/v8/Leads/search?criteria=((a:equals:1)', 'INVALID_QUERY'],
        ['/crm/v8/Leads/search?word=x&page=11', 'DISCRETE_PAGINATION_LIMIT_EXCEEDED'],
        ['/crm/v8/Nope/search?word=x', 'INVALID_MODULE'],
      ];
      for (const [path, code] of cases) {
        const res = await api.call('GET', path);
        assert.equal(res.status, 400, path);
        assert.equal(res.body!.code, code, path);
        assert.equal(res.body!.status, 'error', path);
      }
      const bad = await api.call('GET', '/crm/v8/Leads/search?criteria=(Last_Name:likes:x)');
      assert.deepEqual(bad.body, {
        code: 'INVALID_QUERY',
        details: { reason: 'unknown operator "likes"', position: 11 },
        message: 'invalid query formed',
        status: 'error',
      });
      assert.equal((await api.call('POST', '/crm/v8/Leads/search?word=x')).status, 405);
      const reader = await ApiClient.forScopes(get(), 'ZohoCRM.modules.contacts.READ');
      assert.equal((await reader.call('GET', '/crm/v8/Leads/search?word=x')).body!.code, 'OAUTH_SCOPE_MISMATCH');
      assert.equal((await reader.call('GET', '/crm/v8/Contacts/search?word=x')).status, 204, 'scopes as for a list');
    });

    test('upsert: insert, then update by the default duplicate check field (Email), or the ones given; 207 on partial success', async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      const first = await api.call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'Lee', Email: 'lee@zylker.com' }] });
      assert.equal(first.status, 200);
      const inserted = first.body!.data[0];
      assert.deepEqual(
        [inserted.code, inserted.action, inserted.duplicate_field, inserted.message],
        ['SUCCESS', 'insert', null, 'record added'],
      );
      const id = inserted.details.id;

      const second = await api.call('POST', '/crm/v8/Leads/upsert', {
        data: [
          { Email: 'lee@zylker.com', Company: 'Zylker' },
          { Last_Name: 'Kim', Email: 'kim@zylker.com' },
          { Email: 'nobody@zylker.com' },
        ],
      });
      assert.equal(second.status, 207);
      const [updated, added, refused] = second.body!.data;
      assert.deepEqual(
        [updated.action, updated.duplicate_field, updated.details.id, updated.message],
        ['update', 'Email', id, 'record updated'],
      );
      assert.equal(added.action, 'insert');
      assert.deepEqual(
        [refused.code, refused.details.api_name],
        ['MANDATORY_NOT_FOUND', 'Last_Name'],
        'nothing to update and no Last_Name to insert with',
      );
      const lee = (await api.call('GET', `/crm/v8/Leads/${id}`)).body!.data[0];
      assert.deepEqual([lee.Last_Name, lee.Company], ['Lee', 'Zylker'], 'the update keeps the fields not given');

      const byName = await api.call('POST', '/crm/v8/Leads/upsert', {
        data: [{ Last_Name: 'Kim', Email: 'kim2@zylker.com' }],
        duplicate_check_fields: ['Email', 'Last_Name'],
      });
      assert.deepEqual([byName.body!.data[0].action, byName.body!.data[0].duplicate_field], ['update', 'Last_Name']);
      assert.equal(
        (await api.call('GET', '/crm/v8/Leads?fields=Email')).body!.data.length,
        2,
        'two leads: Lee and Kim, upserted four times',
      );

      const bad: Array<[unknown, number, string]> = [
        [{ data: [{ Last_Name: 'X' }], duplicate_check_fields: ['Shoe_Size'] }, 400, 'INVALID_DATA'],
        [{ data: [{ Last_Name: 'X' }], duplicate_check_fields: 'Email' }, 400, 'INVALID_DATA'],
        [{ data: [{ Last_Name: 'X' }], duplicate_check_fields: [] }, 400, 'MANDATORY_NOT_FOUND'],
        [{ data: [{ Last_Name: 'X', Email: 'not-an-email' }] }, 400, 'INVALID_DATA'],
        [{}, 400, 'MANDATORY_NOT_FOUND'],
      ];
      for (const [body, status, code] of bad) {
        const res = await api.call('POST', '/crm/v8/Leads/upsert', body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(res.body!.code ?? res.body!.data[0].code, code, JSON.stringify(body));
      }
      assert.equal((await api.call('GET', '/crm/v8/Leads/upsert')).status, 405);
      const reader = await ApiClient.forScopes(get(), 'ZohoCRM.modules.leads.READ');
      assert.equal((await reader.call('POST', '/crm/v8/Leads/upsert', { data: [{ Last_Name: 'X' }] })).body!.code, 'OAUTH_SCOPE_MISMATCH');
    });

    test('parallel upserts of one key add one record', async () => {
      const api = await ApiClient.forScopes(get(), ALL);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          api.call('POST', '/crm/v8/Contacts/upsert', { data: [{ Last_Name: `Racer ${i}`, Email: 'race@zylker.com' }] }),
        ),
      );
      assert.ok(results.every((r) => r.status === 200));
      const actions = results.map((r) => r.body!.data[0].action);
      assert.equal(actions.filter((a) => a === 'insert').length, 1, actions.join());
      const list = await api.call('GET', '/crm/v8/Contacts?fields=Email');
      assert.equal(list.body!.data.length, 1);
    });

    test('lists: page within 2,000 records, then page tokens by keyset to the end; tokens bound to owner and module', async () => {
      const h = get();
      const api = await ApiClient.forScopes(h, ALL);
      await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'First' }] });
      const owner = await userOf(api);
      await seedLeads(h, owner, 2_150);
      const total = 2_151;

      const limit = await api.call('GET', '/crm/v8/Leads?fields=Last_Name&page=11');
      assert.deepEqual(
        [limit.status, limit.body],
        [
          400,
          {
            code: 'DISCRETE_PAGINATION_LIMIT_EXCEEDED',
            details: { limit: 2000 },
            message: 'You can only get the first 2000 records without using page_token param.',
            status: 'error',
          },
        ],
      );
      const tenth = await api.call('GET', '/crm/v8/Leads?fields=Last_Name&page=10');
      assert.equal(tenth.body!.info.count, 200);
      assert.equal(tenth.body!.info.more_records, true);
      assert.match(tenth.body!.info.page_token_expiry, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);

      // From the first page, follow next_page_token to the end: every record once, newest first.
      const seen: string[] = [];
      let path = '/crm/v8/Leads?fields=Last_Name&per_page=200';
      let pages = 0;
      for (;;) {
        const res = await api.call('GET', path);
        assert.equal(res.status, 200, path);
        seen.push(...res.body!.data.map((r: { id: string }) => r.id));
        pages++;
        const next = res.body!.info.next_page_token;
        if (!res.body!.info.more_records) {
          assert.equal(next, null);
          break;
        }
        assert.equal(res.body!.info.page, pages);
        path = `/crm/v8/Leads?fields=Last_Name&per_page=200&page_token=${encodeURIComponent(next)}`;
      }
      assert.equal(seen.length, total);
      assert.equal(new Set(seen).size, total);
      assert.deepEqual(seen, [...seen].sort().reverse(), 'id order, descending');
      assert.equal(pages, 11);

      // Ascending by Created_Time, through the token: the order and sort are the token's.
      const asc = await api.call('GET', '/crm/v8/Leads?fields=Last_Name&per_page=2&sort_by=Created_Time&sort_order=asc');
      const token = asc.body!.info.next_page_token as string;
      const after = await api.call('GET', `/crm/v8/Leads?fields=Last_Name&per_page=2&page_token=${encodeURIComponent(token)}`);
      assert.deepEqual(
        after.body!.data.map((r: { Last_Name: string }) => r.Last_Name),
        ['Seed 1', 'Seed 2'],
      );
      assert.deepEqual([after.body!.info.sort_by, after.body!.info.sort_order, after.body!.info.page], ['Created_Time', 'asc', 2]);

      // A token is the owner's, for its module, unchanged, and not combined with page or a sort.
      const other = await ApiClient.forScopes(h, ALL);
      const refused = async (client: ApiClient, p: string, param = 'page_token') => {
        const res = await client.call('GET', p);
        assert.equal(res.status, 400, p);
        assert.deepEqual([res.body!.code, res.body!.details.param_name], ['INVALID_DATA', param], p);
      };
      const t = encodeURIComponent(token);
      await refused(other, `/crm/v8/Leads?fields=Last_Name&page_token=${t}`);
      await refused(api, `/crm/v8/Contacts?fields=Last_Name&page_token=${t}`);
      const [body, mac] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body!, 'base64url').toString()), ownerZuid: 'x' })).toString(
        'base64url',
      );
      await refused(api, `/crm/v8/Leads?fields=Last_Name&page_token=${forged}.${mac}`);
      for (const junk of ['x', '.', 'a.b', `${body}.`, `${body}.${'0'.repeat(64)}`, '%E2%80%8F'])
        await refused(api, `/crm/v8/Leads?fields=Last_Name&page_token=${junk}`);
      await refused(api, `/crm/v8/Leads?fields=Last_Name&page=2&page_token=${t}`, 'page');
      await refused(api, `/crm/v8/Leads?fields=Last_Name&sort_order=asc&page_token=${t}`, 'sort_order');
    });

    test('If-Modified-Since: only records modified after it; none is 304, on lists and search', async () => {
      const h = get();
      const api = await ApiClient.forScopes(h, ALL);
      const old = (await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Old' }] })).body!.data[0].details.id;
      h.clock.advance(10);
      const since = zohoTime(h.clock.now());
      h.clock.advance(10);
      const fresh = (await api.call('POST', '/crm/v8/Leads', { data: [{ Last_Name: 'Fresh' }] })).body!.data[0].details.id;
      const list = await api.call('GET', '/crm/v8/Leads?fields=Last_Name', undefined, { 'if-modified-since': since });
      assert.deepEqual(
        list.body!.data.map((r: { id: string }) => r.id),
        [fresh],
      );
      const httpDate = new Date(Date.parse(since)).toUTCString();
      const search = await api.call('GET', '/crm/v8/Leads/search?criteria=(Last_Name:equals:Old)', undefined, {
        'if-modified-since': httpDate,
      });
      assert.deepEqual([search.status, search.body], [304, undefined]);

      h.clock.advance(10);
      const later = zohoTime(h.clock.now());
      const none = await api.call('GET', '/crm/v8/Leads?fields=Last_Name', undefined, { 'if-modified-since': later });
      assert.deepEqual([none.status, none.body], [304, undefined]);
      h.clock.advance(10);
      await api.call('PUT', `/crm/v8/Leads/${old}`, { data: [{ Company: 'Touched' }] });
      const touched = await api.call('GET', '/crm/v8/Leads?fields=Last_Name', undefined, { 'if-modified-since': later });
      assert.deepEqual(
        touched.body!.data.map((r: { id: string }) => r.id),
        [old],
        'an update counts as a modification',
      );
      const bad = await api.call('GET', '/crm/v8/Leads?fields=Last_Name', undefined, { 'if-modified-since': 'yesterday-ish' });
      assert.deepEqual([bad.status, bad.body!.code, bad.body!.details], [400, 'INVALID_DATA', { header_name: 'If-Modified-Since' }]);
    });
  },
  { limits: { codeRate: null } },
);
