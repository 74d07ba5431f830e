import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextLocation } from '../../src/http/browser/next-location.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEachDeployment, newAddress } from './deployments.js';

const ORIGIN = 'http://gatehouse.test';
const HOME = '/account/connected-apps';

/**
 * `return_to` values that try to leave the site, each the way a browser would follow it: tabs and newlines dropped,
 * backslashes read as slashes, dot segments and encoded dots folded, userinfo, other schemes, look-alike hosts.
 */
export const ESCAPES = [
  '/\t/evil.example/phish',
  '/\n/evil.example',
  '/\r\n/evil.example',
  '\t//evil.example',
  '/\u0000/evil.example',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\\/evil.example',
  '\\/evil.example',
  '/.//evil.example',
  '/./..//evil.example',
  '/%2e%2e//evil.example',
  '/%2E//evil.example',
  '/.%2e//evil.example',
  'https://evil.example/',
  'http://evil.example',
  'HTTPS://evil.example',
  'http:evil.example',
  'http:/evil.example',
  'https:evil.example',
  '//gatehouse.test@evil.example',
  'http://gatehouse.test@evil.example',
  'http://gatehouse.test.evil.example/',
  'http://evil.example#@gatehouse.test',
  '//еvil.example',
  '//ｅvil.example',
  '//evil。example',
  'javascript:alert(document.domain)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  'mailto:a@evil.example',
  '/\u2028/evil.example',
  '/\u0085/evil.example',
  '/\u007f/evil.example',
  '',
  'x'.repeat(5000),
];

/** Paths on this site that must survive as they are (modulo the URL parser's own normal form). */
const KEPT: Array<[string, string]> = [
  ['/account/connected-apps', '/account/connected-apps'],
  ['/oauth/v2/auth?client_id=1000.X&scope=a%20b&state=s', '/oauth/v2/auth?client_id=1000.X&scope=a%20b&state=s'],
  ['/developer-console#top', '/developer-console#top'],
  ['/%2F%2Fevil.example', '/%2F%2Fevil.example'],
  ['/a/../b', '/b'],
  ['/caf\u00e9', '/caf%C3%A9'],
];

/** Where a browser that got `Location: location` on this site goes. Node's URL is the WHATWG parser browsers use. */
function followed(location: string): URL {
  return new URL(location, ORIGIN);
}

describe('hostile: nextLocation, the one redirect check', () => {
  test('every escape falls back to the home page, never throwing', () => {
    for (const value of ESCAPES) assert.equal(nextLocation(value, ORIGIN, HOME), HOME, JSON.stringify(value));
  });

  test('paths on this site are kept', () => {
    for (const [value, expected] of KEPT) assert.equal(nextLocation(value, ORIGIN, HOME), expected, value);
  });

  test('whatever it returns, a browser stays on this site and the header is writable', () => {
    for (const value of [...ESCAPES, ...KEPT.map(([v]) => v)]) {
      const location = nextLocation(value, ORIGIN, HOME);
      assert.equal(followed(location).origin, ORIGIN, JSON.stringify(value));
      assert.doesNotMatch(location, /[\u0000-\u0020\u007f-\uffff\\]/, JSON.stringify(value));
    }
  });
});

describeEachDeployment('hostile: return_to through the pages', (get) => {
  test('a signed-in user visiting /signin?return_to=… is sent only to this site, never a 5xx', async () => {
    const h = get();
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    assert.equal((await agent.signIn(user.email, 'correct horse battery')).status, 303);
    for (const value of ESCAPES) {
      const page = await agent.get(`/signin?return_to=${encodeURIComponent(value)}`);
      const shown = JSON.stringify(value.slice(0, 40));
      // A parameter longer than the server takes, or holding a NUL, is refused as a request before anything redirects.
      if (value.length > h.gatehouse.config.maxParameterLength || value.includes('\u0000')) assert.equal(page.status, 400, shown);
      else assert.deepEqual([page.status, page.location], [303, HOME], shown);
    }
  });

  test('signing in with a hostile return_to lands on this site; CR and LF give no 500', async () => {
    const h = get();
    const user = await h.user();
    for (const value of ['/\t/evil.example/phish', '/\r\nSet-Cookie: a=b', '/.//evil.example', '/\\evil.example']) {
      const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
      const form = await agent.get(`/signin?return_to=${encodeURIComponent(value)}`);
      assert.equal(form.status, 200, JSON.stringify(value));
      const signedIn = await agent.post('/signin', {
        csrf: form.field('csrf'),
        return_to: value,
        email: user.email,
        password: 'correct horse battery',
      });
      assert.equal(signedIn.status, 303, JSON.stringify(value));
      assert.equal(signedIn.location, HOME, JSON.stringify(value));
    }
  });

  test('the change-password form sends only to this site', async () => {
    const h = get();
    const user = await h.user();
    const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': newAddress() });
    await agent.signIn(user.email, 'correct horse battery');
    const form = await agent.get(`/account/password?return_to=${encodeURIComponent('/.//evil.example')}`);
    assert.equal(form.field('return_to'), HOME);
    const changed = await agent.post('/account/password', {
      csrf: form.field('csrf'),
      return_to: '/\t/evil.example',
      current_password: 'correct horse battery',
      new_password: 'another horse battery',
      confirm_password: 'another horse battery',
    });
    assert.equal(changed.status, 303);
    assert.equal(changed.location, HOME);
  });
});
