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

  test('GATEHOUSE_TRUST_PROXY: off by default; proxies by address or CIDR range, nothing else', () => {
    assert.equal(loadSettings({}).trustProxy, false);
    assert.equal(loadSettings({ GATEHOUSE_TRUST_PROXY: 'off' }).trustProxy, false);
    assert.equal(loadSettings({ GATEHOUSE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy, '10.0.0.0/8,127.0.0.1,::1');
    for (const bad of ['2', 'true', '10.0.0.0/33', '10.0.0.1/8/8', 'proxy.example.com', '::1/129']) {
      assert.throws(() => loadSettings({ GATEHOUSE_TRUST_PROXY: bad }), /GATEHOUSE_TRUST_PROXY/, bad);
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
});
