import { fork } from 'node:child_process';
import { BenchmarkError } from '../benchmark-error.js';
import type { ServerName } from '../server-process.js';
import type { Teardown } from '../teardown.js';

/**
 * Starts a benchmarked server in its own process and resolves to the fixture it reports. Each server gets a process,
 * as it would in production: in one shared process their garbage collections land in each other's measurements, and
 * the code they share (node:http) is optimised for all of them at once, i.e. for none.
 */
export function startInChildProcess<Fixture>(name: ServerName, args: string[], teardown: Teardown): Promise<Fixture> {
  // Standard output is a pipe this process drains: a server's request log goes where a log collector would read it,
  // not to the terminal.
  const child = fork(new URL('../server-process.js', import.meta.url), [name, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  teardown.add(`stop ${name}`, async () => {
    if (child.connected) child.send('stop');
    const timer = setTimeout(() => child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  });
  return new Promise<Fixture>((resolve, reject) => {
    child.once('message', (fixture) => resolve(fixture as Fixture));
    child.once('exit', (code) => reject(new BenchmarkError(`${name} exited (code ${code}) before it was ready; see its output above`)));
  });
}
