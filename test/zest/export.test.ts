import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gatehouse } from '../cli/cli-runner.js';
import { Harness } from '../support/harness.js';
import { sqliteStore } from '../support/stores.js';
import { golden } from './golden-file.js';

const GOLDEN = 'authentication-schema.xml';

describe('ZEST export', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start(sqliteStore);
  });
  after(() => h.close());

  test('GET /.well-known/zest/authentication-schema.xml serves the checked-in golden document', async () => {
    const response = await fetch(`${h.baseUrl}/.well-known/zest/authentication-schema.xml`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/xml; charset=utf-8');
    const served = await response.text();
    assert.equal(served, golden(GOLDEN, served));
  });

  test('gatehouse spec export writes the same document, to stdout or --out, without a database', async () => {
    const env = { GATEHOUSE_ISSUER: 'http://gatehouse.test', GATEHOUSE_DATABASE_URL: 'postgres://nowhere.invalid/none' };
    const printed = await gatehouse(env, 'spec', 'export');
    assert.equal(printed.code, 0, printed.stderr);
    assert.equal(printed.json.document, golden(GOLDEN, printed.json.document));

    const out = join(mkdtempSync(join(tmpdir(), 'gatehouse-zest-')), 'schema.xml');
    const written = await gatehouse(env, 'spec', 'export', '--out', out);
    assert.equal(written.code, 0, written.stderr);
    assert.deepEqual(written.json, { out });
    assert.equal(readFileSync(out, 'utf8'), printed.json.document);
  });
});
