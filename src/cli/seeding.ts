import { readFile } from 'node:fs/promises';
import { FieldErrors, ManagementError } from '../core/errors/management-error.js';
import type { Gatehouse } from '../gatehouse.js';
import type { RecordRepository } from '../resources/record-repository.js';
import { applySeed, SeedInvalidError, type SeedResult } from '../seed/apply-seed.js';
import { SEED_KINDS } from '../seed/seed-file.js';

/**
 * Applies the seed file at `file` (`gatehouse seed --file`, `GATEHOUSE_SEED_FILE` at `serve`'s start). Its problems
 * become one management error each, `field` the JSON path, so the CLI prints them all, one a line (exit code 1);
 * `label` says, before each, where the file was named when that is not the command line itself.
 */
export async function applySeedFile(file: string, gatehouse: Gatehouse, records: RecordRepository, label = ''): Promise<SeedResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ManagementError('seed.file_unreadable', `${label}cannot read the seed file ${file}: ${(err as Error).message}`, 400, 'file');
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (err) {
    throw new ManagementError('seed.json_invalid', `${label}${file} is not valid JSON${where(text, err)}.`, 400, '$');
  }
  try {
    return await applySeed(document, gatehouse, records);
  } catch (err) {
    if (!(err instanceof SeedInvalidError)) throw err;
    const problems = err.problems.map((p) => new ManagementError('seed.invalid', `${label}${p.path}: ${p.message}`, 400, p.path));
    throw problems.length === 1 ? problems[0]! : new FieldErrors(problems);
  }
}

/**
 * Where the JSON broke, as line and column. Not the parser's own message: it quotes the text around the mistake, and a
 * seed file holds passwords and secrets, which would then be printed (and kept in a CI job's log).
 */
function where(text: string, err: unknown): string {
  const position = /position (\d+)/.exec((err as Error).message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position)).split('\n');
  return ` at line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** One line per kind: `users: 1 created, 0 updated, 2 unchanged`; or that nothing changed. */
export function describeSeedResult(result: SeedResult): string {
  const lines = SEED_KINDS.map((kind) => {
    const c = result.counts[kind];
    return `  ${`${kind}:`.padEnd(16)}${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`;
  });
  const head = result.changed ? 'Seed file applied:' : 'Seed file applied: nothing changed, the database already matched it.';
  return [head, ...lines].join('\n');
}
