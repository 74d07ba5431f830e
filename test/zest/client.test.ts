import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildStageRequest } from '../../src/zest/client/stage-request.js';
import { writeTokens, type StoredTokens } from '../../src/zest/client/token-store.js';
import { freshAccessToken } from '../../src/zest/client/tokens.js';
import { parseZestSchema } from '../../src/zest/parse-xml.js';
import { gatehouse } from '../cli/cli-runner.js';
import { sourceFile } from './golden-file.js';

const STRING = '<content><encode type="text/plain"/><structure><property type="string"/></structure></content>';
const seed = () => parseZestSchema(readFileSync(sourceFile('fixtures/seed-travel-bureau.xml'), 'utf8')).oauth2[0]!;

test("requests follow the document: the seed's token URL gets its fixed grant_type, and undeclared protocol values as params", () => {
  const oauth2 = seed();
  const request = buildStageRequest(oauth2.tokenUrl, {
    client_id: 'id',
    client_secret: 'secret',
    code: 'c',
    redirect_uri: 'http://127.0.0.1:1/callback',
    code_verifier: 'v',
  });
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'https://accounts.travel_bureau.com/oauth/v2.0/token');
  assert.deepEqual(Object.fromEntries(request.body!), {
    grant_type: 'authorization_code',
    client_id: 'id',
    client_secret: 'secret',
    code: 'c',
    redirect_uri: 'http://127.0.0.1:1/callback',
    code_verifier: 'v',
  });

  const authorize = buildStageRequest(oauth2.authorizationUrl, { client_id: 'id', scope: 'a,b', state: 's' });
  assert.equal(authorize.method, 'GET');
  assert.equal(authorize.body, undefined);
  assert.equal(authorize.url, 'https://accounts.travel_bureau.com/oauth/v2.0/auth?scope=a%2Cb&client_id=id&response_type=code&state=s');
});

test('header and variable locations, and a required argument the client cannot fill', () => {
  const xml = readFileSync(sourceFile('fixtures/seed-travel-bureau.xml'), 'utf8')
    .replace('path="https://accounts.travel_bureau.com/oauth/v2.0/token">', 'path="https://accounts.travel_bureau.com/{tenant}/token">')
    .replace('<argument name="client_secret" location="param">', '<argument name="client_secret" location="header">')
    .replace(
      '<argument name="grant_type" location="param">',
      `<argument name="tenant" location="variable" required="true">${STRING}</argument><argument name="grant_type" location="param">`,
    );
  const stage = parseZestSchema(xml).oauth2[0]!.tokenUrl;
  const request = buildStageRequest(stage, { client_id: 'id', client_secret: 's3cret', tenant: 'a b' });
  assert.equal(request.url, 'https://accounts.travel_bureau.com/a%20b/token');
  assert.deepEqual(request.headers, { client_secret: 's3cret' });
  assert.equal(request.body!.get('client_secret'), null);
  assert.throws(() => buildStageRequest(stage, { client_id: 'id' }), /requires the argument tenant/);
});

test('the token file is written 0600, atomically (no temporary file left), and only used with the server it came from', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'gatehouse-tokens-')), 'nested');
  const file = join(dir, 'tokens.json');
  const tokens: StoredTokens = {
    oauth2: 'other',
    refresh_url: 'https://elsewhere.example/token',
    client_id: 'id',
    access_token: 'a',
    refresh_token: 'r',
    expires_at: 0,
  };
  writeTokens(file, tokens);
  writeTokens(file, { ...tokens, access_token: 'b' });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.deepEqual(readdirSync(dir), ['tokens.json']);
  await assert.rejects(freshAccessToken(seed(), file, Date.now), /holds tokens from https:\/\/elsewhere\.example\/token/);
});

test('the CLI names the element path and line of a bad document, and needs a token file for whoami', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-zest-cli-'));
  const spec = join(dir, 'bad.xml');
  writeFileSync(spec, '<oauth2 name="x">\n  <authorization-url>\n');
  const bad = await gatehouse({}, 'whoami', '--spec', spec);
  assert.equal(bad.code, 1);
  assert.equal(bad.json.error.code, 'zest.invalid_document');
  assert.match(bad.json.error.message, /^\/oauth2\[@name='x'\]\/authorization-url, line 3: not well-formed XML/);

  const good = sourceFile('fixtures/seed-travel-bureau.xml');
  const missing = await gatehouse({}, 'token', '--spec', good, '--token-file', join(dir, 'none.json'));
  assert.equal(missing.code, 1);
  assert.equal(missing.json.error.code, 'zest.token_unavailable');
  assert.match(missing.json.error.message, /run gatehouse login first/);
});
