import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = new URL('../../../bin/gatehouse.js', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: Record<string, any>;
}

/** Runs `gatehouse …args --json` with only the given settings in its environment. */
export async function gatehouse(env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const fullEnv = { PATH: process.env.PATH ?? '', ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args, '--json'], { env: fullEnv });
    return { code: 0, stdout, stderr, json: JSON.parse(stdout) };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, json: e.stderr.trim() ? JSON.parse(e.stderr) : {} };
  }
}

/** Runs `gatehouse …args` as typed (no --json added), from `cwd` when given: for usage, help and exit codes. */
export async function gatehouseRaw(
  env: Record<string, string>,
  args: string[],
  options: { cwd?: string } = {},
): Promise<Omit<CliResult, 'json'>> {
  const fullEnv = { PATH: process.env.PATH ?? '', ...env };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: fullEnv, ...options });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs a command that must succeed and returns its JSON; a failure reports the command and everything it printed. */
export async function gatehouseOk(env: Record<string, string>, ...args: string[]): Promise<Record<string, any>> {
  const result = await gatehouse(env, ...args);
  if (result.code !== 0)
    throw new Error(`gatehouse ${args.join(' ')} exited ${result.code}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
  return result.json;
}

/** Starts `gatehouse serve --json` on a free port; resolves once it prints its one JSON line. */
export interface ServeProcess {
  info: Record<string, any>;
  /** Sends SIGTERM and resolves once the process has exited (its code: `exited`). */
  stop(): Promise<void>;
  /** Resolves with the exit code (null when a signal ended it) once the process has exited, however. */
  exited: Promise<number | null>;
  /** Sends a signal without waiting. */
  kill(signal: NodeJS.Signals): void;
  stderr(): string;
}

export async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'serve', '--json'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([once(lines, 'line'), exited.then(() => Promise.reject(new Error(`serve exited: ${stderr}`)))])) as [
    string,
  ];
  return {
    info: JSON.parse(first),
    /** Everything the server wrote to stderr so far (its log, under --json). */
    stderr: () => stderr,
    exited,
    kill: (signal) => child.kill(signal),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
