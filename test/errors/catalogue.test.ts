import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { AUDIT_EVENT_TYPES } from '../../src/core/audit/audit-log.js';
import { OAUTH_ERROR_REASONS } from '../../src/core/errors/oauth-error.js';

const root = new URL('../../../', import.meta.url).pathname;
const catalogue = readFileSync(join(root, 'docs/errors.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

test('every OAuth error reason is in docs/errors.md', () => {
  const missing = OAUTH_ERROR_REASONS.filter((r) => !catalogue.includes(`\`${r}\``));
  assert.deepEqual(missing, []);
});

test('every management error code used in the source is in docs/errors.md', () => {
  const used = new Set<string>();
  for (const file of sources(join(root, 'src'))) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /'((?:user|client|self_client|token|api_token|auth|grant|zest|database|backup|mfa|org)\.[a-z_]+)'/g,
    ))
      used.add(match[1]!);
  }
  assert.ok(used.size > 10, 'the scan found the codes');
  // Audit event types (`client.created`) are spelled like codes but are not errors; the README lists them.
  const auditTypes: ReadonlySet<string> = new Set(AUDIT_EVENT_TYPES);
  assert.deepEqual(
    [...used].filter((code) => !auditTypes.has(code) && !catalogue.includes(`\`${code}\``)),
    [],
  );
});
