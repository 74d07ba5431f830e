import { fork } from 'node:child_process';
import { BenchmarkError } from '../benchmark-error.js';
import type { ParentMessage, PurgeAnswer, ServerName } from './messages.js';
import type { Teardown } from '../teardown.js';

export interface ChildServer<Fixture> {
  fixture: Fixture;
  /** Has the server purge what expired before `before` (Gatehouse only), timed in its own process. */
  purgeExpired(before: number): Promise<PurgeAnswer>;
}

/**
 * Starts a benchmarked server in its own process and resolves to the fixture it reports. Each server gets a process,
 * as it would in production: in one shared process their garbage collections land in each other's measurements, and
 * the code they share (node:http) is optimised for all of them at once, i.e. for none.
 */
export async function startInChildProcess<Fixture>(name: ServerName, args: string[], teardown: Teardown): Promise<ChildServer<Fixture>> {
  // Standard output is a pipe this process drains: a server's request log goes where a log collector would read it,
  // not to the terminal.
  const child = fork(new URL('../server-process.js', import.meta.url), [name, ...args], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  child.stdout!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const send = (message: ParentMessage) => child.send(message);
  teardown.add(`stop ${name}`, async () => {
    if (child.connected) send('stop');
    const timer = setTimeout(() => child.kill(), 5_000);
    await exited;
    clearTimeout(timer);
  });
  const fixture = await new Promise<Fixture>((resolve, reject) => {
    child.once('message', (message) => resolve(message as Fixture));
    child.once('exit', (code) => reject(new BenchmarkError(`${name} exited (code ${code}) before it was ready; see its output above`)));
  });
  return {
    fixture,
    purgeExpired(before) {
      const answered = new Promise<PurgeAnswer>((resolve, reject) => {
        child.once('message', (answer) => resolve(answer as PurgeAnswer));
        child.once('exit', () => reject(new BenchmarkError(`${name} exited during a purge; see its output above`)));
      });
      send({ purgeBefore: before });
      return answered;
    },
  };
}
