import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { ApiError } from '../../src/resources/api-error.js';
import { PAGE_TOKEN_LIFETIME_MS, PageTokens, type PageState } from '../../src/resources/page-token.js';

const hashUnder = (key: string) => (text: string) => createHmac('sha256', key).update(text).digest('hex');
const STATE: PageState = {
  ownerZuid: '100',
  module: 'crm.Leads',
  sortBy: 'id',
  sortOrder: 'desc',
  position: { sortValue: '42', id: '42' },
  served: 200,
  page: 2,
  modifiedSince: undefined,
};

const refused = (message: RegExp) => (err: unknown) =>
  err instanceof ApiError && err.code === 'INVALID_DATA' && err.details.param_name === 'page_token' && message.test(err.message);

test('a page token opens for its owner and module until it expires, and under no other key', () => {
  let now = 1_000_000;
  const tokens = new PageTokens(hashUnder('server key'), () => now);
  const { token, expiresAt } = tokens.issue(STATE);
  assert.equal(expiresAt, now + PAGE_TOKEN_LIFETIME_MS);
  const { modifiedSince: _none, ...expected } = STATE;
  assert.deepEqual(tokens.open(token, '100', 'crm.Leads'), expected);
  assert.throws(() => tokens.open(token, '101', 'crm.Leads'), refused(/invalid/));
  assert.throws(() => tokens.open(token, '100', 'crm.Contacts'), refused(/invalid/));
  assert.throws(() => new PageTokens(hashUnder('another key'), () => now).open(token, '100', 'crm.Leads'), refused(/invalid/));
  now = expiresAt - 1;
  assert.equal(tokens.open(token, '100', 'crm.Leads').served, 200);
  now = expiresAt;
  assert.throws(() => tokens.open(token, '100', 'crm.Leads'), refused(/expired/));
});
