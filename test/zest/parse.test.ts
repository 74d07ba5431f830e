import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { GrantRegistry } from '../../src/core/grants/index.js';
import { ScopeRegistry } from '../../src/core/scopes/registry.js';
import { describeServer } from '../../src/zest/describe-server.js';
import { parseZestSchema } from '../../src/zest/parse-xml.js';
import { writeSchemaXml } from '../../src/zest/write-xml.js';
import { ZestError } from '../../src/zest/zest-error.js';
import { sourceFile } from './golden-file.js';

const server = () =>
  describeServer({ config: { issuer: 'http://gatehouse.test' }, scopes: new ScopeRegistry(), grants: new GrantRegistry() });

test('round trip: the server model, written and parsed again, is the same model; the golden file reads back to itself', () => {
  const model = server();
  assert.deepEqual(parseZestSchema(writeSchemaXml(model)), model);
  const golden = readFileSync(sourceFile('golden/authentication-schema.xml'), 'utf8');
  assert.equal(writeSchemaXml(parseZestSchema(golden)), golden);
});

test('text and attributes with markup characters, quotes and line breaks survive the round trip', () => {
  const model = server();
  const tricky = 'A <b> & "quoted" \'single\'\nsecond line\tand a tab';
  model.oauth2[0]!.description = tricky;
  model.oauth2[0]!.tokenUrl.operation.arguments[0]!.delimiter = tricky;
  assert.deepEqual(parseZestSchema(writeSchemaXml(model)), model);
});

test("Zoho's example (the bare <oauth2> of the seed) parses into the model", () => {
  const schema = parseZestSchema(readFileSync(sourceFile('fixtures/seed-travel-bureau.xml'), 'utf8'));
  assert.equal(schema.oauth2.length, 1);
  const oauth2 = schema.oauth2[0]!;
  assert.equal(oauth2.name, 'iam-oauth2-schema');
  assert.equal(oauth2.visibility, 'internal');
  assert.equal(oauth2.authorizationUrl.path, 'https://accounts.travel_bureau.com/oauth/v2.0/auth');
  assert.equal(oauth2.tokenUrl.path, 'https://accounts.travel_bureau.com/oauth/v2.0/token');
  assert.equal(oauth2.refreshUrl.path, 'https://accounts.travel_bureau.com/oauth/v2.0/token');
  assert.equal(oauth2.authenticationUrl?.path, 'https://accounts.travel_bureau.com/oauth/user/info');

  const authorize = oauth2.authorizationUrl.operation;
  assert.equal(authorize.method, 'get');
  assert.deepEqual(
    authorize.arguments.map((a) => [a.name, a.location, a.required]),
    ['scope', 'client_id', 'response_type', 'access_type', 'redirect_uri'].map((name) => [name, 'param', false]),
  );
  assert.deepEqual(authorize.arguments[3]!.content, {
    encode: 'text/plain',
    structure: {
      name: 'wrapper',
      properties: [
        {
          type: 'string',
          values: ['offline', 'online'],
          description: 'If you want to generate the refresh token, set this value as offline.',
        },
      ],
    },
  });
  assert.deepEqual(authorize.responses, [{ status: '100' }]);

  const token = oauth2.tokenUrl.operation;
  assert.equal(token.method, 'post');
  assert.deepEqual(
    token.arguments.map((a) => a.name),
    ['grant_type', 'client_id', 'client_secret', 'code', 'redirect_uri'],
  );
  assert.deepEqual(
    token.responses[0]!.content!.structure.properties.map((p) => [p.name, p.type, p.values]),
    [
      ['access_token', 'string', undefined],
      ['refresh_token', 'string', undefined],
      ['expires_in', 'integer', ['3600']],
      ['api_domain', 'string', undefined],
      ['token_type', 'string', ['Bearer']],
    ],
  );
  assert.deepEqual(
    oauth2.refreshUrl.operation.arguments.map((a) => a.name),
    ['refresh_token', 'client_id', 'client_secret', 'grant_type'],
  );

  const info = oauth2.authenticationUrl!.operation;
  assert.deepEqual(info.authentication, {
    type: 'oauth2',
    name: 'Authorization',
    location: 'param',
    scopes: ['AaaServer.profile.READ', 'email'],
  });
  assert.deepEqual(
    info.responses[0]!.content!.structure.properties.map((p) => p.name),
    ['First_Name', 'Last_Name', 'Display_Name', 'ZUID', 'Email'],
  );
});

/** A small valid document to break one piece at a time. */
function document(parts: Partial<Record<'oauth2' | 'token' | 'operation' | 'argument' | 'refresh', string>> = {}): string {
  const operation = (method: string) => `<operation method="${method}" name="op">
        ${parts.argument ?? '<argument name="code" location="param"><content><encode type="text/plain"/><structure><property type="string"/></structure></content></argument>'}
      </operation>`;
  return `<?xml version="1.0"?>
<authentication-schema>
  ${parts.oauth2 ?? '<oauth2 name="demo">'}
    <authorization-url path="https://a.example/auth">
      ${operation('get')}
    </authorization-url>
    <token-url ${parts.token ?? 'path="https://a.example/token"'}>
      ${parts.operation ?? operation('post')}
    </token-url>
    ${parts.refresh ?? `<refresh-url path="https://a.example/token">${operation('post')}</refresh-url>`}
  </oauth2>
</authentication-schema>`;
}

function rejects(xml: string, expected: { path: string; line: number; problem: RegExp }, options = {}): void {
  assert.throws(
    () => parseZestSchema(xml, options),
    (err: unknown) => {
      assert.ok(err instanceof ZestError, `a ZestError, got ${String(err)}`);
      assert.equal(err.path, expected.path);
      assert.equal(err.line, expected.line);
      assert.match(err.problem, expected.problem);
      assert.ok(err.message.startsWith(`${expected.path || '/'}, line ${expected.line}: `), err.message);
      return true;
    },
  );
}

test('bad documents are refused with the element path and line of the problem', () => {
  assert.doesNotThrow(() => parseZestSchema(document()));
  const oauth2 = "/authentication-schema/oauth2[@name='demo']";
  rejects(document({ oauth2: '<oauth2 visibility="public">' }), {
    path: '/authentication-schema/oauth2',
    line: 3,
    problem: /the name attribute is required/,
  });
  rejects(document({ token: '' }), { path: `${oauth2}/token-url`, line: 9, problem: /the path attribute is required/ });
  rejects(document({ token: 'path="/token"' }), { path: `${oauth2}/token-url`, line: 9, problem: /absolute http\(s\) URL/ });
  rejects(document({ operation: '<operation name="op"/>' }), {
    path: `${oauth2}/token-url/operation[@name='op']`,
    line: 10,
    problem: /the method attribute is required/,
  });
  rejects(document({ argument: '<argument name="code" location="cookie"/>' }), {
    path: `${oauth2}/authorization-url/operation[@name='op']/argument[@name='code']`,
    line: 6,
    problem: /unknown location "cookie"; expected one of param, header, variable/,
  });
  rejects(document({ oauth2: '<oauth2 name="demo" visibility="everyone">' }), { path: oauth2, line: 3, problem: /unknown visibility/ });
  rejects(document({ refresh: '' }), { path: oauth2, line: 3, problem: /a <refresh-url> element is required/ });
  rejects('<resource name="r"><authentication-schema/></resource>', {
    path: "/resource[@name='r']",
    line: 1,
    problem: /no <oauth2> element/,
  });
  rejects(document({ oauth2: '<oauth2 name="demo"><token-url>' }), {
    path: oauth2,
    line: 17,
    problem: /not well-formed XML: unexpected close tag/,
  });
  rejects('', { path: '', line: 1, problem: /not well-formed XML/ });
});

test('stages on different origins are refused unless allowed', () => {
  const mixed = document({ token: 'path="https://b.example/token"' });
  rejects(mixed, {
    path: "/authentication-schema/oauth2[@name='demo']/token-url",
    line: 9,
    problem: /points at https:\/\/b\.example, but <authorization-url> at https:\/\/a\.example/,
  });
  assert.equal(parseZestSchema(mixed, { allowMixedOrigins: true }).oauth2[0]!.tokenUrl.path, 'https://b.example/token');
});
