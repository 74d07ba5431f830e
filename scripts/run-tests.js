#!/usr/bin/env node
// Runs every compiled test file (dist/test/**/*.test.js) with node's test runner. Suites that need PostgreSQL or
// Redis say so and skip when the service is missing; with CI=true they fail instead (test/support/services.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.js') ? [path] : [];
  });
}

const only = process.argv.slice(2);
const files = testFiles('dist/test')
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
if (files.length === 0) {
  console.error('No test files found under dist/test.');
  process.exit(1);
}
// Suites are I/O bound (HTTP, databases), so more run at once than there are cores.
// The timeout is per file and only a guard against a hang. The CLI suites (a node process per command) take under two
// minutes alone on this 2-core machine, but beside three other suites they have passed ten minutes: a limit a slow run
// can reach fails CI for nothing, so it is twenty.
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=4', '--test-timeout=1200000', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
