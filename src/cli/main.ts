import { parseArgs } from 'node:util';
import { ManagementError } from '../core/errors/management-error.js';
import { UsageError, type Command, type CommandResult, type OptionValues } from './command.js';
import { apiTokenCreateCommand, apiTokenListCommand, apiTokenRevokeCommand } from './commands/api-token.js';
import { clientCreateCommand } from './commands/client-create.js';
import { clientListCommand } from './commands/client-list.js';
import { clientRotateSecretCommand } from './commands/client-rotate-secret.js';
import { keysListCommand, keysRotateCommand } from './commands/keys.js';
import { loginCommand } from './commands/login.js';
import { migrateCommand } from './commands/migrate.js';
import { selfClientCodeCommand } from './commands/self-client-code.js';
import { serveCommand } from './commands/serve.js';
import { specExportCommand } from './commands/spec-export.js';
import { tokenRevokeCommand } from './commands/token-revoke.js';
import { tokenCommand } from './commands/token.js';
import { userDisableCommand, userEnableCommand, userListCommand, userResetPasswordCommand } from './commands/user-admin.js';
import { userCreateCommand } from './commands/user-create.js';
import { whoamiCommand } from './commands/whoami.js';
import { loadSettings } from './settings.js';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  migrateCommand,
  userCreateCommand,
  userListCommand,
  userResetPasswordCommand,
  userDisableCommand,
  userEnableCommand,
  clientCreateCommand,
  clientListCommand,
  clientRotateSecretCommand,
  selfClientCodeCommand,
  tokenRevokeCommand,
  keysRotateCommand,
  keysListCommand,
  apiTokenCreateCommand,
  apiTokenListCommand,
  apiTokenRevokeCommand,
  specExportCommand,
  loginCommand,
  whoamiCommand,
  // After `token revoke`: the first command whose words match wins.
  tokenCommand,
];

/** `gatehouse <words> [--options]`. Exit code 0 on success, 1 on a failed command, 2 on a usage error. */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const command = COMMANDS.find((c) => c.words.every((w, i) => argv[i] === w));
  if (!command || argv.includes('--help')) {
    process.stdout.write(command ? commandHelp(command) : overallHelp());
    return command || argv.includes('--help') || argv.length === 0 ? 0 : 2;
  }
  try {
    const { values } = parseArgs({
      args: argv.slice(command.words.length),
      options: { ...command.options, json: { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    for (const [name, spec] of Object.entries(command.options)) {
      if (spec.required && (values as OptionValues)[name] === undefined) throw new UsageError(`--${name} is required`);
    }
    const result = await command.run(values, loadSettings(), { json });
    if (result) print(result, json);
    return 0;
  } catch (err) {
    return fail(err, json, command);
  }
}

function print(result: CommandResult, json: boolean): void {
  process.stdout.write(`${json ? JSON.stringify(result.json) : result.text}\n`);
}

function fail(err: unknown, json: boolean, command: Command): number {
  const usage = err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
  const error =
    err instanceof ManagementError
      ? err.toJSON()
      : { code: usage ? 'usage' : 'internal', message: err instanceof Error ? err.message : String(err) };
  process.stderr.write(json ? `${JSON.stringify({ error })}\n` : `gatehouse ${command.words.join(' ')}: ${error.message}\n`);
  if (usage && !json) process.stderr.write(`\n${commandHelp(command)}`);
  return usage ? 2 : 1;
}

function commandHelp(command: Command): string {
  const lines = [`Usage: gatehouse ${command.words.join(' ')} [options] [--json]`, '', command.summary, ''];
  for (const [name, spec] of Object.entries(command.options)) {
    const flag = `--${name}${spec.type === 'string' ? ' VALUE' : ''}`;
    lines.push(`  ${flag.padEnd(26)} ${spec.description}${spec.required ? ' (required)' : ''}`);
  }
  lines.push(`  ${'--json'.padEnd(26)} Print exactly one JSON object on stdout`, '');
  return lines.join('\n');
}

function overallHelp(): string {
  const lines = ['Usage: gatehouse <command> [options] [--json]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.words.join(' ').padEnd(22)} ${c.summary}`);
  lines.push('', 'Settings come from the environment (see README): GATEHOUSE_DATABASE_URL, PORT, GATEHOUSE_ISSUER, ...', '');
  return lines.join('\n');
}
