import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import { ApiClient } from './api-client.js';

describeEachStore(
  'sample FSM API (/fsm/v1)',
  (get) => {
    test('Requests, Estimates and Work_Orders: list, get, create, update, delete', async () => {
      const api = await ApiClient.forScopes(get(), 'ZohoFSM.modules.ALL');
      const bodies: Record<string, Record<string, unknown>> = {
        Requests: { Summary: 'Leaking tap', Service_Address: '1 Main St', Billing_Address: '1 Main St', Priority: 'High' },
        Estimates: { Summary: 'New boiler', Grand_Total: 1200.5 },
        Work_Orders: { Summary: 'Fix tap', Type: 'Repair', Due_Date: '2026-12-01' },
      };
      for (const [module, record] of Object.entries(bodies)) {
        assert.equal((await api.call('GET', `/fsm/v1/${module}`)).status, 204, module);
        const created = await api.call('POST', `/fsm/v1/${module}`, { data: [record] });
        assert.equal(created.status, 201, module);
        const id = created.body!.data[0].details.id;
        const list = await api.call('GET', `/fsm/v1/${module}?page=1&per_page=200`);
        assert.deepEqual(list.body!.data[0], {
          ...record,
          Owner: list.body!.data[0].Owner,
          Created_Time: list.body!.data[0].Created_Time,
          Modified_Time: list.body!.data[0].Modified_Time,
          id,
        });
        assert.equal(list.body!.info.count, 1);
        assert.equal((await api.call('PUT', `/fsm/v1/${module}/${id}`, { data: [{ Summary: 'Updated' }] })).status, 200);
        assert.equal((await api.call('GET', `/fsm/v1/${module}/${id}`)).body!.data[0].Summary, 'Updated');
        assert.equal((await api.call('DELETE', `/fsm/v1/${module}/${id}`)).status, 200);
        assert.equal((await api.call('GET', `/fsm/v1/${module}/${id}`)).status, 204);
      }
    });

    test("Requests need Summary and both addresses; FSM's scope names differ from its paths", async () => {
      const h = get();
      const api = await ApiClient.forScopes(h, 'ZohoFSM.modules.ALL');
      const missing = await api.call('POST', '/fsm/v1/Requests', { data: [{ Summary: 'No address' }] });
      assert.equal(missing.body!.data[0].code, 'MANDATORY_NOT_FOUND');
      assert.equal(missing.body!.data[0].details.api_name, 'Service_Address');

      const workOrders = await ApiClient.forScopes(h, 'ZohoFSM.modules.WorkOrders.CREATE');
      assert.equal((await workOrders.call('POST', '/fsm/v1/Work_Orders', { data: [{ Summary: 'S' }] })).status, 201);
      assert.equal((await workOrders.call('POST', '/fsm/v1/Requests', { data: [{ Summary: 'S' }] })).body!.code, 'OAUTH_SCOPE_MISMATCH');
      assert.equal((await workOrders.call('GET', '/fsm/v1/Work_Orders')).body!.code, 'OAUTH_SCOPE_MISMATCH');
      const crmOnly = await ApiClient.forScopes(h, 'ZohoCRM.modules.ALL');
      assert.equal((await crmOnly.call('GET', '/fsm/v1/Requests')).body!.code, 'OAUTH_SCOPE_MISMATCH');
      assert.equal((await api.call('GET', '/fsm/v1/Invoices')).body!.code, 'INVALID_MODULE');
    });

    test('search and upsert take the CRM code path; FSM has no system duplicate check fields, so an upsert names them', async () => {
      const api = await ApiClient.forScopes(get(), 'ZohoFSM.modules.WorkOrders.ALL');
      const made = await api.call('POST', '/fsm/v1/Work_Orders/upsert', {
        data: [{ Summary: 'Fix tap', Type: 'Repair' }],
        duplicate_check_fields: ['Summary'],
      });
      assert.deepEqual([made.status, made.body!.data[0].action], [200, 'insert']);
      const again = await api.call('POST', '/fsm/v1/Work_Orders/upsert', {
        data: [{ Summary: 'Fix tap', Priority: 'High' }],
        duplicate_check_fields: ['Summary'],
      });
      assert.deepEqual([again.body!.data[0].action, again.body!.data[0].duplicate_field], ['update', 'Summary']);
      const unnamed = await api.call('POST', '/fsm/v1/Work_Orders/upsert', { data: [{ Summary: 'X' }] });
      assert.deepEqual([unnamed.status, unnamed.body!.code], [400, 'MANDATORY_NOT_FOUND']);
      const found = await api.call(
        'GET',
        `/fsm/v1/Work_Orders/search?criteria=${encodeURIComponent('((Type:equals:Repair)and(Priority:in:High,Low))')}`,
      );
      assert.deepEqual(
        found.body!.data.map((r: { Summary: string }) => r.Summary),
        ['Fix tap'],
      );
      assert.equal((await api.call('GET', '/fsm/v1/Work_Orders/search?email=a%40b.c')).body!.code, 'INVALID_QUERY', 'no email field');
    });
  },
  { limits: { codeRate: null } },
);
