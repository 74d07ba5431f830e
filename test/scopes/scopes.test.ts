import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isOAuthError } from '../../src/core/errors/oauth-error.js';
import { ScopeRegistry } from '../../src/core/scopes/registry.js';
import { covers, splitScopeList } from '@gatehouse/resource-server';

const registry = new ScopeRegistry();
const scope = (name: string) => {
  const s = registry.lookup(name);
  assert.ok(s, `${name} should be known`);
  return s;
};

describe('scope grammar', () => {
  test('lists split on commas or spaces, without empties or repeats', () => {
    assert.deepEqual(splitScopeList('ZohoCRM.modules.ALL, ZohoCRM.settings.ALL  AaaServer.profile.READ,,zohocrm.modules.all'), [
      'ZohoCRM.modules.ALL',
      'ZohoCRM.settings.ALL',
      'AaaServer.profile.READ',
    ]);
  });

  test('names are matched case-insensitively and returned in canonical spelling', () => {
    assert.equal(scope('zohofsm.modules.all').name, 'ZohoFSM.modules.ALL');
    assert.equal(scope('AaaServer.profile.Read').name, 'AaaServer.profile.READ');
    assert.equal(scope('ZohoFSM.modules.workorders.update').name, 'ZohoFSM.modules.WorkOrders.UPDATE');
    assert.equal(scope('OPENID').name, 'openid');
  });

  test('unknown services, scopes and operations are rejected, all named in one invalid_scope', () => {
    for (const bad of [
      'ZohoMail.messages.READ',
      'ZohoCRM.modules.FLY',
      'ZohoCRM.modules',
      'ZohoCRM..READ',
      'ZohoCRM.org.DELETE',
      'openid.READ',
    ]) {
      assert.equal(registry.lookup(bad), undefined, bad);
    }
    assert.throws(
      () => registry.parse('ZohoCRM.modules.ALL,ZohoMail.messages.READ,Foo.bar.ALL'),
      (e) => isOAuthError(e) && e.code === 'invalid_scope' && /ZohoMail\.messages\.READ, Foo\.bar\.ALL/.test(e.description),
    );
  });

  test('the hierarchy: ALL covers every operation, a parent covers its sub-scopes, WRITE covers CREATE/UPDATE/DELETE', () => {
    const cases: Array<[string, string, boolean]> = [
      ['ZohoCRM.modules.ALL', 'ZohoCRM.modules.leads.READ', true],
      ['ZohoCRM.modules.ALL', 'ZohoCRM.modules.deals.DELETE', true],
      ['ZohoCRM.modules.READ', 'ZohoCRM.modules.leads.READ', true],
      ['ZohoCRM.modules.READ', 'ZohoCRM.modules.leads.CREATE', false],
      ['ZohoCRM.modules.leads.ALL', 'ZohoCRM.modules.leads.UPDATE', true],
      ['ZohoCRM.modules.leads.ALL', 'ZohoCRM.modules.contacts.READ', false],
      ['ZohoCRM.modules.leads.WRITE', 'ZohoCRM.modules.leads.CREATE', true],
      ['ZohoCRM.modules.leads.WRITE', 'ZohoCRM.modules.leads.DELETE', true],
      ['ZohoCRM.modules.leads.WRITE', 'ZohoCRM.modules.leads.READ', false],
      ['ZohoCRM.modules.leads.READ', 'ZohoCRM.modules.READ', false],
      ['ZohoCRM.settings.ALL', 'ZohoCRM.settings.fields.READ', true],
      ['ZohoFSM.modules.ALL', 'ZohoCRM.modules.leads.READ', false],
      ['AaaServer.profile.ALL', 'AaaServer.profile.READ', true],
      ['openid', 'openid', true],
      ['email', 'openid', false],
    ];
    for (const [granted, required, expected] of cases) {
      assert.equal(covers(scope(granted), scope(required)), expected, `${granted} ⊇ ${required}`);
    }
  });

  test('the registry can be extended and describes scopes in words for the consent page', () => {
    const extended = new ScopeRegistry();
    extended.define({ service: 'ZohoBooks', scope: 'invoices', operations: ['ALL', 'READ'], object: 'your invoices' });
    assert.equal(extended.lookup('ZohoBooks.invoices.READ')?.name, 'ZohoBooks.invoices.READ');
    assert.equal(extended.describe(scope('ZohoCRM.modules.leads.READ')), 'Read your CRM leads');
    assert.equal(extended.describe(scope('ZohoCRM.modules.ALL')), 'Full access to all your CRM records');
    assert.ok(extended.names().includes('ZohoBooks.invoices.ALL'));
  });
});
