/**
 * The shipped JSON Schema and Gatehouse's own reading of a seed file must agree. Gatehouse does not validate with the
 * schema (it reports problems the schema cannot see: references, redirect URIs, scopes, record fields); this holds
 * them together with Ajv, a JSON Schema 2020-12 validator that the test suite finds installed (Fastify's own
 * validator, not a dependency of Gatehouse's code).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import Ajv2020Module from 'ajv/dist/2020.js';
import { CLIENT_TYPES } from '../../src/core/clients/client.js';
import { CRM_MODULES, FSM_MODULES, recordModuleKey } from '../../src/resources/modules.js';
import { readSeedDocument, SEED_PATTERNS } from '../../src/seed/seed-file.js';
import { exampleSeed, freshSeed, INVALID_CASES, SEED_SCHEMA_PATH, seedWith } from './seed-cases.js';

const Ajv2020 = Ajv2020Module.default;
const schema = JSON.parse(readFileSync(SEED_SCHEMA_PATH, 'utf8'));
const ROOT = new URL('../../../', import.meta.url).pathname;

/** Strict mode: an unknown keyword or a misspelt one is an error, not silently ignored. */
function compile() {
  return new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
}

/** The entry an Ajv error is about: `/clients/1/client_id` → `$.clients[1]`; an unknown field counts as its own path. */
function entryOf(error: { instancePath: string; keyword: string; params: Record<string, unknown> }): string {
  const extra = error.keyword === 'additionalProperties' ? `/${String(error.params.additionalProperty)}` : '';
  const [kind, index] = `${error.instancePath}${extra}`.split('/').slice(1);
  return index === undefined ? (kind ? `$.${kind}` : '$') : `$.${kind}[${index}]`;
}

test('the schema is a valid JSON Schema 2020-12 document', () => {
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.doesNotThrow(compile);
});

test("the schema's patterns, client types and modules are Gatehouse's", () => {
  const defs = schema.$defs;
  assert.equal(defs.clientId.pattern, SEED_PATTERNS.clientId.source);
  assert.equal(defs.client.properties.client_secret.pattern, SEED_PATTERNS.clientSecret.source);
  assert.equal(defs.refreshToken.properties.token.pattern, SEED_PATTERNS.refreshToken.source);
  assert.equal(defs.user.properties.password_hash.pattern, SEED_PATTERNS.passwordHash.source);
  assert.equal(defs.record.properties.id.pattern, SEED_PATTERNS.recordId.source);
  assert.deepEqual(defs.client.properties.type.enum, [...CLIENT_TYPES]);
  assert.deepEqual(defs.record.properties.module.enum, [...CRM_MODULES, ...FSM_MODULES].map(recordModuleKey));
});

test('the example and a generated file are valid by both', () => {
  const validate = compile();
  for (const seed of [exampleSeed(), freshSeed()]) {
    assert.equal(validate(seed), true, JSON.stringify(validate.errors));
    assert.deepEqual(readSeedDocument(seed).problems, []);
  }
});

test("the README's example is valid by both", () => {
  const readme = readFileSync(`${ROOT}README.md`, 'utf8');
  const section = readme.slice(readme.indexOf('## Seeding'));
  const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)![1]!);
  assert.equal(compile()(example), true);
  assert.deepEqual(readSeedDocument(example).problems, []);
});

test('every wrong shape is refused by both, about the same entry; the other problems only Gatehouse can see', () => {
  const validate = compile();
  for (const c of INVALID_CASES) {
    const seed = seedWith(c.change);
    const schemaValid = validate(seed);
    assert.equal(schemaValid, !c.shape, `${c.name}: the schema ${schemaValid ? 'accepts' : 'refuses'} it`);
    if (!c.shape) continue;
    const entries = new Set(validate.errors!.map(entryOf));
    const entry = /^\$(\.\w+(\[\d+\])?)?/.exec(c.path)![0];
    assert.ok(entries.has(entry), `${c.name}: the schema names ${[...entries].join(', ')}, Gatehouse ${c.path}`);
  }
});

test('npm pack ships the schema', async () => {
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    maxBuffer: 64 << 20,
  });
  const [packed] = JSON.parse(stdout) as Array<{ files: Array<{ path: string }> }>;
  assert.ok(
    packed!.files.some((f) => f.path === 'schemas/gatehouse.seed.schema.json'),
    'schemas/gatehouse.seed.schema.json is in the package',
  );
});
