import assert from 'node:assert/strict';
import { isIPv4 } from 'node:net';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { clientUrlFault, SERVER_REQUESTED_URL, type ClientUrlRule } from '../../src/core/clients/client-url.js';
import { validateClientFields, type ClientFields } from '../../src/core/clients/validate-client.js';
import { FieldErrors } from '../../src/core/errors/management-error.js';

const rule: fc.Arbitrary<ClientUrlRule> = fc.record({
  scheme: fc.constantFrom('https' as const, 'web' as const, 'any' as const),
  fragment: fc.constantFrom('forbidden' as const, 'allowed' as const),
  // Small limits as well, so that the length rule is met and broken by the URLs below.
  maxLength: fc.oneof(fc.integer({ min: 10, max: 120 }), fc.constant(2048)),
});

/** Hosts a browser or Gatehouse reaches on this machine, in forms the URL parser normalises. */
const LOOPBACK_HOSTS = ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '127.1', '[::1]', '[0:0:0:0:0:0:0:1]'];
/** Hosts that only look like loopback. */
const LOOKALIKE_HOSTS = ['127.0.0.1.evil.example', 'localhost.evil.example', 'evil-localhost.test', '128.0.0.1', '[::2]', '10.0.0.1'];

/** A URL built from parts, so whether it keeps a rule is known from the parts and not from parsing it again. */
interface UrlParts {
  scheme: string;
  userInfo: string | null;
  host: string;
  port: number | null;
  path: string;
  query: string | null;
  fragment: string | null;
}

const urlParts: fc.Arbitrary<UrlParts> = fc.record({
  scheme: fc.constantFrom('https', 'http', 'HTTPS', 'Http', 'ftp', 'ws', 'javascript', 'com.example.app'),
  userInfo: fc.option(fc.constantFrom('user', 'user:pw', ':pw', 'localhost', '127.0.0.1', 'a%40b'), { freq: 3 }),
  host: fc.oneof(
    fc.constantFrom(...LOOPBACK_HOSTS),
    fc.constantFrom(...LOOKALIKE_HOSTS),
    fc.stringMatching(/^[a-z]{1,10}(-[a-z0-9]{1,5})?\.(com|example|test)$/),
  ),
  port: fc.option(fc.integer({ min: 1, max: 65535 })),
  path: fc.webPath(),
  query: fc.option(fc.webQueryParameters()),
  fragment: fc.option(fc.oneof(fc.constant(''), fc.webFragments())),
});

function text(p: UrlParts): string {
  const userInfo = p.userInfo === null ? '' : `${p.userInfo}@`;
  const port = p.port === null ? '' : `:${p.port}`;
  const query = p.query === null ? '' : `?${p.query}`;
  const fragment = p.fragment === null ? '' : `#${p.fragment}`;
  return `${p.scheme}://${userInfo}${p.host}${port}${p.path}${query}${fragment}`;
}

function keeps(p: UrlParts, r: ClientUrlRule): boolean {
  const scheme = p.scheme.toLowerCase();
  const schemeKept =
    r.scheme === 'any' || scheme === 'https' || (scheme === 'http' && (r.scheme === 'web' || LOOPBACK_HOSTS.includes(p.host)));
  return schemeKept && p.userInfo === null && (r.fragment === 'allowed' || p.fragment === null) && text(p).length <= r.maxLength;
}

/** Any text at all, a web URL of any shape, or one of those cut or run into another. */
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.webUrl({
    validSchemes: ['http', 'https', 'ftp'],
    authoritySettings: { withIPv4: true, withIPv6: true, withUserInfo: true, withPort: true },
    withQueryParameters: true,
    withFragments: true,
  }),
  urlParts.map(text),
  fc.string({ maxLength: 60 }),
  fc.tuple(urlParts.map(text), fc.string({ maxLength: 8 }), fc.nat()).map(([url, noise, at]) => {
    const cut = at % (url.length + 1);
    return url.slice(0, cut) + noise + url.slice(cut);
  }),
);

describe('client URL rules', () => {
  test('a URL built from parts is accepted exactly when its parts keep the rule', () => {
    fc.assert(
      fc.property(urlParts, rule, (parts, r) => {
        assert.equal(clientUrlFault(text(parts), r) === undefined, keeps(parts, r), text(parts));
      }),
      { numRuns: 3000 },
    );
  });

  test('whatever the text, an accepted URL is absolute, short enough, https or loopback http, with no user info, white space or forbidden fragment', () => {
    fc.assert(
      fc.property(anyText, rule, (uri, r) => {
        if (clientUrlFault(uri, r) !== undefined) return;
        assert.ok(uri.length <= r.maxLength);
        assert.ok(!/\s/.test(uri));
        if (r.fragment === 'forbidden') assert.ok(!uri.includes('#'));
        const url = new URL(uri);
        assert.equal(url.username + url.password, '');
        const loopback =
          url.hostname === 'localhost' || url.hostname === '[::1]' || (isIPv4(url.hostname) && url.hostname.startsWith('127.'));
        if (r.scheme === 'https') assert.ok(url.protocol === 'https:' || (url.protocol === 'http:' && loopback), uri);
        if (r.scheme === 'web') assert.ok(url.protocol === 'https:' || url.protocol === 'http:', uri);
      }),
      { numRuns: 3000 },
    );
  });

  test('each fault is named, the first one a person would fix', () => {
    const web: ClientUrlRule = { scheme: 'web', fragment: 'allowed', maxLength: 40 };
    for (const [uri, r, fault] of [
      ['https://keys.example.com/jwks', SERVER_REQUESTED_URL, undefined],
      ['http://127.0.0.1:8080/jwks', SERVER_REQUESTED_URL, undefined],
      ['http://[::1]/bc', SERVER_REQUESTED_URL, undefined],
      ['http://keys.example.com/jwks', SERVER_REQUESTED_URL, 'scheme'],
      ['http://127.0.0.1.evil.example/jwks', SERVER_REQUESTED_URL, 'scheme'],
      ['ftp://keys.example.com/jwks', web, 'scheme'],
      ['http://keys.example.com/jwks', web, undefined],
      // The parser reports no `hash` for a bare `#`; it is a fragment all the same.
      ['https://keys.example.com/jwks#', SERVER_REQUESTED_URL, 'fragment'],
      ['https://app.example.com/#top', web, undefined],
      ['https://keys.example.com/my jwks', SERVER_REQUESTED_URL, 'white_space'],
      ['https://localhost@evil.example/jwks', SERVER_REQUESTED_URL, 'user_info'],
      ['/jwks', SERVER_REQUESTED_URL, 'not_absolute'],
      [`https://app.example.com/${'a'.repeat(20)}#x y`, web, 'too_long'],
    ] as const) {
      assert.equal(clientUrlFault(uri, r), fault, uri);
    }
  });
});

describe('each client URL field words its faults its own way', () => {
  const SERVER_APP: ClientFields = { name: 'App', homepage: 'https://app.example.com', redirectUris: ['https://app.example.com/cb'] };
  /** The messages `validateClientFields` gives for these fields of a server-based app. */
  function messages(fields: ClientFields): string[] {
    try {
      validateClientFields('server', { ...SERVER_APP, ...fields });
    } catch (err) {
      if (err instanceof FieldErrors) return err.errors.map((e) => `${e.field}: ${e.message}`);
      throw err;
    }
    return [];
  }

  test('the jwks_uri and the back-channel logout URI follow the rule for URLs Gatehouse requests', () => {
    assert.deepEqual(messages({ jwksUri: 'https://keys.example.com/jwks#' }), [
      'jwks_uri: Enter a valid jwks_uri: "https://keys.example.com/jwks#" has a fragment (#).',
    ]);
    assert.deepEqual(messages({ jwksUri: 'https://keys.example.com/my jwks' }), [
      'jwks_uri: Enter a valid jwks_uri: "https://keys.example.com/my jwks" contains white space.',
    ]);
    assert.deepEqual(messages({ jwksUri: 'http://keys.example.com/jwks' }), [
      'jwks_uri: Enter a valid jwks_uri: "http://keys.example.com/jwks" must start with https:// (http:// only for localhost, 127.0.0.1 or [::1]).',
    ]);
    assert.deepEqual(messages({ backchannelLogoutUri: 'https://app.example.com/bc#f' }), [
      'backchannel_logout_uri: Enter a valid back-channel logout URI: "https://app.example.com/bc#f" has a fragment (#), which Back-Channel Logout §2.2 forbids.',
    ]);
    assert.deepEqual(messages({ backchannelLogoutUri: 'https://user:pw@app.example.com/bc' }), [
      'backchannel_logout_uri: Enter a valid back-channel logout URI: "https://user:pw@app.example.com/bc" has user information (user@host).',
    ]);
    assert.deepEqual(messages({ jwksUri: 'http://localhost:9000/jwks', backchannelLogoutUri: 'http://127.0.0.1:9000/bc' }), []);
  });

  test('redirect URIs keep their own scheme rules and wording', () => {
    assert.deepEqual(messages({ redirectUris: ['https://app.example.com/cb#x'] }), [
      'redirect_uris: Enter a valid redirect URI: "https://app.example.com/cb#x" has a fragment (#), which RFC 6749 §3.1.2 forbids.',
    ]);
    assert.deepEqual(messages({ redirectUris: ['javascript:alert(1)'] }), [
      'redirect_uris: Enter a valid redirect URI: "javascript:alert(1)" uses the javascript: scheme.',
    ]);
    assert.deepEqual(messages({ redirectUris: ['com.example.app:/cb'] }), [
      'redirect_uris: Enter a valid redirect URI: "com.example.app:/cb" must start with http:// or https://.',
    ]);
    assert.deepEqual(messages({ postLogoutRedirectUris: ['https://*.example.com/bye'] }), [
      'post_logout_redirect_uris: Enter a valid post-logout redirect URI: "https://*.example.com/bye" has a wildcard; redirect URIs match exactly.',
    ]);
    assert.deepEqual(messages({ redirectUris: ['http://app.example.com/cb'], postLogoutRedirectUris: ['http://app.example.com/bye'] }), []);
  });

  test('a homepage is any web URL without user info or white space', () => {
    const refused = ['homepage: Enter a valid homepage URL (http:// or https://).'];
    assert.deepEqual(messages({ homepage: 'http://app.example.com/#about' }), []);
    assert.deepEqual(messages({ homepage: 'https://app.example.com/about us' }), refused);
    assert.deepEqual(messages({ homepage: 'https://me@app.example.com' }), refused);
  });
});
