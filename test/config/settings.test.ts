import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadSettings } from '../../src/cli/settings.js';

describe('settings from the environment and a config file', () => {
  test('defaults: port 8080, issuer on localhost, SQLite in ./data, Zoho limits on', () => {
    const s = loadSettings({});
    assert.equal(s.port, 8080);
    assert.equal(s.config.issuer, 'http://localhost:8080');
    assert.equal(s.config.apiDomain, 'http://localhost:8080');
    assert.equal(s.databaseUrl, 'sqlite:./data/gatehouse.db');
    assert.deepEqual(s.config.limits, {
      refreshTokens: 20,
      accessTokens: 15,
      refreshRate: { count: 10, windowSeconds: 600 },
      codeRate: { count: 10, windowSeconds: 600 },
    });
    assert.equal(s.config.errorStyle, 'rfc');
  });

  test('limits are set or switched off one variable each', () => {
    const s = loadSettings({
      GATEHOUSE_LIMIT_REFRESH_TOKENS: '5',
      GATEHOUSE_LIMIT_ACCESS_TOKENS: 'off',
      GATEHOUSE_LIMIT_REFRESH_RATE: '3/60',
      GATEHOUSE_LIMIT_CODE_RATE: 'off',
    });
    assert.deepEqual(s.config.limits, {
      refreshTokens: 5,
      accessTokens: null,
      refreshRate: { count: 3, windowSeconds: 60 },
      codeRate: null,
    });
  });

  test('GATEHOUSE_SHUTDOWN_SECONDS: 10 by default; a positive number of seconds, nothing else', () => {
    assert.equal(loadSettings({}).shutdownSeconds, 10);
    assert.equal(loadSettings({ GATEHOUSE_SHUTDOWN_SECONDS: '2.5' }).shutdownSeconds, 2.5);
    for (const bad of ['0', '-1', 'ten', '1e3', '5s']) {
      assert.throws(() => loadSettings({ GATEHOUSE_SHUTDOWN_SECONDS: bad }), /GATEHOUSE_SHUTDOWN_SECONDS must be a positive number/);
    }
  });

  test('GATEHOUSE_REQUIRE_MFA: off by default; admins or all, nothing else', () => {
    assert.equal(loadSettings({}).config.requireMfa, 'off');
    assert.equal(loadSettings({ GATEHOUSE_REQUIRE_MFA: 'admins' }).config.requireMfa, 'admins');
    assert.equal(loadSettings({ GATEHOUSE_REQUIRE_MFA: 'all' }).config.requireMfa, 'all');
    assert.throws(() => loadSettings({ GATEHOUSE_REQUIRE_MFA: 'yes' }), /GATEHOUSE_REQUIRE_MFA must be off, admins, all/);
  });

  test('GATEHOUSE_REQUIRE_PAR: false by default; true or false, nothing else', () => {
    assert.equal(loadSettings({}).config.requirePushedAuthorizationRequests, false);
    assert.equal(loadSettings({ GATEHOUSE_REQUIRE_PAR: 'true' }).config.requirePushedAuthorizationRequests, true);
    assert.equal(loadSettings({ GATEHOUSE_REQUIRE_PAR: 'false' }).config.requirePushedAuthorizationRequests, false);
    assert.throws(() => loadSettings({ GATEHOUSE_REQUIRE_PAR: 'yes' }), /GATEHOUSE_REQUIRE_PAR must be true or false, got "yes"/);
  });

  test('GATEHOUSE_TRUST_PROXY: off by default; proxies by address or CIDR range, nothing else', () => {
    assert.equal(loadSettings({}).trustProxy, false);
    assert.equal(loadSettings({ GATEHOUSE_TRUST_PROXY: 'off' }).trustProxy, false);
    assert.equal(loadSettings({ GATEHOUSE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy, '10.0.0.0/8,127.0.0.1,::1');
    for (const bad of ['2', 'true', '10.0.0.0/33', '10.0.0.1/8/8', 'proxy.example.com', '::1/129']) {
      assert.throws(() => loadSettings({ GATEHOUSE_TRUST_PROXY: bad }), /GATEHOUSE_TRUST_PROXY/, bad);
    }
  });

  test('GATEHOUSE_METRICS and GATEHOUSE_METRICS_PORT: on the main port by default, on a port of their own, or off', () => {
    assert.deepEqual(loadSettings({}).metrics, { serve: 'main-port' });
    assert.deepEqual(loadSettings({ GATEHOUSE_METRICS: 'on' }).metrics, { serve: 'main-port' });
    assert.deepEqual(loadSettings({ GATEHOUSE_METRICS_PORT: '9464' }).metrics, { serve: 'own-port', port: 9464, host: 'localhost' });
    assert.deepEqual(loadSettings({ HOST: '0.0.0.0', GATEHOUSE_METRICS_PORT: '9464', GATEHOUSE_METRICS_HOST: '10.0.0.5' }).metrics, {
      serve: 'own-port',
      port: 9464,
      host: '10.0.0.5',
    });
    assert.deepEqual(loadSettings({ GATEHOUSE_METRICS: 'off', GATEHOUSE_METRICS_PORT: '9464' }).metrics, { serve: 'off' });
    assert.throws(() => loadSettings({ GATEHOUSE_METRICS: 'yes' }), /GATEHOUSE_METRICS must be on or off/);
    for (const bad of ['x', '-1', '70000', '94.64']) {
      assert.throws(() => loadSettings({ GATEHOUSE_METRICS_PORT: bad }), /GATEHOUSE_METRICS_PORT must be a port number/, bad);
    }
  });

  test('bad values are refused with the variable named', () => {
    assert.throws(() => loadSettings({ GATEHOUSE_LIMIT_REFRESH_RATE: '10' }), /GATEHOUSE_LIMIT_REFRESH_RATE/);
    assert.throws(() => loadSettings({ GATEHOUSE_LIMIT_REFRESH_TOKENS: '-1' }), /GATEHOUSE_LIMIT_REFRESH_TOKENS/);
    assert.throws(() => loadSettings({ GATEHOUSE_ISSUER: 'ftp://x' }), /issuer/);
    assert.throws(() => loadSettings({ GATEHOUSE_ERROR_STYLE: 'loud' }), /errorStyle/);
    assert.throws(() => loadSettings({ PORT: 'eighty' }), /PORT/);
  });

  test('a config file takes the same keys; the environment wins over it; unknown keys are refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    const file = join(dir, 'gatehouse.json');
    writeFileSync(file, JSON.stringify({ GATEHOUSE_ISSUER: 'https://accounts.example.com', GATEHOUSE_LIMIT_CODE_RATE: 'off', PORT: 9000 }));
    const s = loadSettings({ GATEHOUSE_CONFIG: file, PORT: '9001' });
    assert.equal(s.config.issuer, 'https://accounts.example.com');
    assert.equal(s.config.limits.codeRate, null);
    assert.equal(s.port, 9001);
    writeFileSync(file, JSON.stringify({ GATEHOUSE_ISSUR: 'typo' }));
    assert.throws(() => loadSettings({ GATEHOUSE_CONFIG: file }), /unknown setting GATEHOUSE_ISSUR/);
  });

  test('GATEHOUSE_DATACENTERS: a JSON list, in the environment or the file; the first is the primary and the issuer', () => {
    const dcs = [
      { location: 'us', accounts_origin: 'https://accounts.example.com', api_domain: 'https://api.example.com' },
      { location: 'eu', accounts_origin: 'https://accounts.example.eu', api_domain: 'https://api.example.eu' },
    ];
    const s = loadSettings({ GATEHOUSE_DATACENTERS: JSON.stringify(dcs) });
    assert.equal(s.config.issuer, 'https://accounts.example.com');
    assert.equal(s.config.location, 'us');
    assert.equal(s.config.apiDomain, 'https://api.example.com');
    assert.deepEqual(s.config.dataCenters.directory(), { us: 'https://accounts.example.com', eu: 'https://accounts.example.eu' });
    assert.equal(s.config.dataCenters.forAccountsOrigin('https://accounts.example.eu').location, 'eu');
    assert.equal(s.config.dataCenters.forAccountsOrigin('https://elsewhere.example').location, 'us', 'an unknown host is the primary');
    assert.equal(s.config.dataCenters.forApiOrigin('https://api.example.eu').location, 'eu');

    const dir = mkdtempSync(join(tmpdir(), 'gatehouse-config-'));
    const file = join(dir, 'gatehouse.json');
    writeFileSync(file, JSON.stringify({ GATEHOUSE_DATACENTERS: dcs }));
    assert.deepEqual(loadSettings({ GATEHOUSE_CONFIG: file }).config.dataCenters.locations(), ['us', 'eu']);

    // Without it, one DC from the issuer, GATEHOUSE_LOCATION and GATEHOUSE_API_DOMAIN, as before.
    const one = loadSettings({ GATEHOUSE_ISSUER: 'https://a.example.com/base', GATEHOUSE_LOCATION: 'in' }).config.dataCenters;
    assert.equal(one.several, false);
    assert.deepEqual(one.all, [
      { location: 'in', issuer: 'https://a.example.com/base', accountsOrigin: 'https://a.example.com', apiDomain: 'https://a.example.com' },
    ]);
  });

  test('GATEHOUSE_DATACENTERS: every problem is named at start-up', () => {
    const load =
      (value: unknown, env: Record<string, string> = {}) =>
      () =>
        loadSettings({ GATEHOUSE_DATACENTERS: typeof value === 'string' ? value : JSON.stringify(value), ...env });
    const us = { location: 'us', accounts_origin: 'https://a.example.com', api_domain: 'https://api.example.com' };
    assert.throws(load('not json'), /GATEHOUSE_DATACENTERS must be JSON/);
    assert.throws(load({ us }), /must be a JSON list/);
    assert.throws(load([]), /at least one data centre/);
    assert.throws(
      load([us, { ...us, accounts_origin: 'https://b.example.com', api_domain: 'https://api.b.example.com' }]),
      /"us" is listed twice/,
    );
    assert.throws(load([us, { ...us, location: 'eu' }]), /already the origin of data centre "us"/);
    assert.throws(
      load([us, { location: 'eu', accounts_origin: 'https://b.example.com/path', api_domain: 'https://c.example.com' }]),
      /accounts_origin must be an http\(s\) origin/,
    );
    assert.throws(
      load([us, { location: 'EU!', accounts_origin: 'https://b.example.com', api_domain: 'nope' }]),
      (err: Error) =>
        /location must be a short lower-case DC name/.test(err.message) && /api_domain must be an http\(s\) URL/.test(err.message),
    );
    assert.throws(
      load([us, { location: 'eu', accounts_origin: 'http://b.example.com', api_domain: 'http://c.example.com' }]),
      /same scheme/,
    );
    assert.throws(load([us], { GATEHOUSE_ISSUER: 'https://other.example.com' }), /issuer must be the first data centre's accounts_origin/);
    assert.throws(load([us], { GATEHOUSE_LOCATION: 'eu' }), /set per data centre/);
  });
});
