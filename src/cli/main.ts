import { parseArgs } from 'node:util';
import { editDistance } from '../core/closest-names.js';
import { FieldErrors, ManagementError } from '../core/errors/management-error.js';
import { UsageError, type Command, type CommandResult, type OptionValues } from './command.js';
import { auditListCommand } from './commands/audit-list.js';
import {
  registrationTokenCreateCommand,
  registrationTokenListCommand,
  registrationTokenRevokeCommand,
} from './commands/registration-token.js';
import { apiTokenCreateCommand, apiTokenListCommand, apiTokenRevokeCommand } from './commands/api-token.js';
import { backupCommand } from './commands/backup.js';
import { clientCreateCommand } from './commands/client-create.js';
import { clientListCommand } from './commands/client-list.js';
import { clientRotateSecretCommand } from './commands/client-rotate-secret.js';
import { clientDataCentersCommand } from './commands/client-data-centers.js';
import { demoCommand } from './commands/demo.js';
import { keysListCommand, keysRotateCommand } from './commands/keys.js';
import { loginCommand } from './commands/login.js';
import { migrateCommand } from './commands/migrate.js';
import { orgAddMemberCommand, orgCreateCommand, orgListCommand } from './commands/org.js';
import { seedCommand } from './commands/seed.js';
import { selfClientCodeCommand } from './commands/self-client-code.js';
import { serveCommand } from './commands/serve.js';
import { specExportCommand } from './commands/spec-export.js';
import { tokenRevokeCommand } from './commands/token-revoke.js';
import { tokenCommand } from './commands/token.js';
import { userMfaCommand, userMfaResetCommand } from './commands/user-mfa.js';
import { userDisableCommand, userEnableCommand, userListCommand, userResetPasswordCommand } from './commands/user-admin.js';
import { userCreateCommand } from './commands/user-create.js';
import { whoamiCommand } from './commands/whoami.js';
import { describeDatabase, requireExistingDatabase } from './database-check.js';
import { loadSettings } from './settings.js';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  backupCommand,
  userCreateCommand,
  userListCommand,
  userResetPasswordCommand,
  userDisableCommand,
  userEnableCommand,
  // Before `user mfa`: the first command whose words match wins.
  userMfaResetCommand,
  userMfaCommand,
  clientCreateCommand,
  clientListCommand,
  clientRotateSecretCommand,
  clientDataCentersCommand,
  selfClientCodeCommand,
  orgCreateCommand,
  orgAddMemberCommand,
  orgListCommand,
  seedCommand,
  tokenRevokeCommand,
  keysRotateCommand,
  keysListCommand,
  apiTokenCreateCommand,
  apiTokenListCommand,
  apiTokenRevokeCommand,
  registrationTokenCreateCommand,
  registrationTokenListCommand,
  registrationTokenRevokeCommand,
  auditListCommand,
  demoCommand,
  specExportCommand,
  loginCommand,
  whoamiCommand,
  // After `token revoke`: the first command whose words match wins.
  tokenCommand,
];

/**
 * `gatehouse <words> [--options]`. Exit code 0 on success (and for `--help`), 1 on a failed command, 2 on a usage
 * error: no command, an unknown one, or options missing or malformed.
 */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const command = COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
  if (argv.includes('--help')) {
    process.stdout.write(command ? commandHelp(command) : overallHelp());
    return 0;
  }
  if (!command) return unknownCommand(argv, json);
  try {
    const { values } = parseArgs({
      args: argv.slice(command.words.length),
      options: { ...command.options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    checkOptions(command, values);
    const settings = loadSettings();
    if (command.database === undefined) requireExistingDatabase(settings.databaseUrl);
    const result = await command.run(values, settings, { json });
    if (result) print(result, json);
    return 0;
  } catch (err) {
    return fail(err, json, command);
  }
}

/**
 * Every missing required option and every invalid value the command can judge without a database, in one error
 * (FieldErrors, as the management API reports a form), rather than one per run. A missing option is a usage error.
 */
function checkOptions(command: Command, values: OptionValues): void {
  const missing = Object.entries(command.options)
    .filter(([name, spec]) => spec.required && (values[name] === undefined || values[name] === ''))
    .map(([name]) => new ManagementError('usage', `--${name} is required`, 400, name));
  // An option already reported missing is not also reported invalid.
  const invalid = (command.validate?.(values) ?? []).filter((p) => !missing.some((m) => m.field === p.field));
  const problems = [...missing, ...invalid];
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new FieldErrors(problems);
}

function unknownCommand(argv: string[], json: boolean): number {
  // `gatehouse --json` alone names no command either.
  const words = commandWords(argv);
  const message = words.length === 0 ? 'no command given' : `unknown command: ${words.join(' ')}`;
  const hint = words.length === 0 ? [] : suggestions(words);
  const error = { code: 'usage', message, ...(hint.length > 0 ? { suggestions: hint } : {}) };
  if (json) process.stderr.write(`${JSON.stringify({ error })}\n`);
  else {
    const didYouMean = hint.length > 0 ? ` (did you mean ${hint.map((h) => `"gatehouse ${h}"`).join(' or ')}?)` : '';
    process.stderr.write(`gatehouse: ${message}${didYouMean}\n\n${overallHelp()}`);
  }
  return 2;
}

/** The words before the first option: what was meant as the command. */
function commandWords(argv: string[]): string[] {
  const end = argv.findIndex((a) => a.startsWith('-'));
  return end === -1 ? argv : argv.slice(0, end);
}

/**
 * The commands the words most likely meant: those that start with them (`user` → the user commands), else the nearest
 * by edit distance when it is close enough to be a typo (`client lst` → `client list`).
 */
function suggestions(words: string[]): string[] {
  const names = COMMANDS.map((c) => c.words.join(' '));
  const typed = words.join(' ');
  const extending = names.filter((n) => n.startsWith(`${typed} `));
  if (extending.length > 0) return extending;
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(typed, name);
    if (!best || distance < best.distance) best = { name, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(best.name.length / 3)) ? [best.name] : [];
}

function print(result: CommandResult, json: boolean): void {
  process.stdout.write(`${json ? JSON.stringify(result.json) : result.text}\n`);
}

function fail(err: unknown, json: boolean, command: Command): number {
  const usage =
    err instanceof UsageError ||
    (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ||
    (err instanceof ManagementError &&
      (err.code === 'usage' || (err instanceof FieldErrors && err.errors.some((e) => e.code === 'usage'))));
  const error =
    err instanceof ManagementError
      ? err.toJSON()
      : { code: usage ? 'usage' : 'internal', message: err instanceof Error ? err.message : String(err) };
  const prefix = `gatehouse ${command.words.join(' ')}`;
  if (json) process.stderr.write(`${JSON.stringify({ error })}\n`);
  else if (err instanceof FieldErrors && err.errors.length > 1) {
    // One line per problem, each naming its option, so every fix can be made before the next run.
    const lines = err.errors.map((e) => `  ${e.code === 'usage' ? e.message : about(command, e)}`);
    process.stderr.write(`${prefix}: ${err.errors.length} problems:\n${lines.join('\n')}\n`);
  } else {
    const text = err instanceof ManagementError && err.code !== 'usage' ? about(command, err) : error.message;
    process.stderr.write(`${prefix}: ${text}\n`);
  }
  if (usage && !json) process.stderr.write(`\n${commandHelp(command)}`);
  return usage ? 2 : 1;
}

/** A problem, naming the option it is about when it is one of the command's (the core's field names may differ). */
function about(command: Command, problem: ManagementError): string {
  return problem.field && problem.field in command.options ? `--${problem.field}: ${problem.message}` : problem.message;
}

function commandHelp(command: Command): string {
  const lines = [`Usage: gatehouse ${command.words.join(' ')} [options] [--json]`, '', command.summary, ''];
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = `--${name}${spec.type === 'string' ? ' VALUE' : ''}`;
    lines.push(`  ${flag.padEnd(26)} ${spec.description}${spec.required ? ' (required)' : ''}`);
  }
  lines.push(`  ${'--json'.padEnd(26)} Print exactly one JSON object on stdout`, '');
  if (command.database !== 'none') lines.push(databaseLine(), '');
  return lines.join('\n');
}

function overallHelp(): string {
  const lines = ['Usage: gatehouse <command> [options] [--json]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.words.join(' ').padEnd(22)} ${c.summary}`);
  lines.push(
    '',
    databaseLine(),
    'Only serve, migrate, seed and user create make a database that does not exist; the other commands refuse (exit 1).',
    '',
    'Settings come from the environment (see README): GATEHOUSE_DATABASE_URL, PORT, GATEHOUSE_ISSUER, ...',
    'Exit codes: 0 done, 1 the command failed, 2 usage error. `gatehouse <command> --help` describes one command.',
    '',
  );
  return lines.join('\n');
}

/** Which database the commands use: a newcomer's first question when a command answers from the wrong one. */
function databaseLine(): string {
  try {
    return `Database: ${describeDatabase(loadSettings().databaseUrl)}; GATEHOUSE_DATABASE_URL chooses another.`;
  } catch (err) {
    // Help must still print when a setting is wrong; the command itself reports it.
    return `Database: unknown, the settings do not load: ${err instanceof Error ? err.message : String(err)}`;
  }
}
