/**
 * One benchmarked server in a process of its own (see `servers/child-process.ts`): `node server-process.js gatehouse`,
 * `oidc-provider`, or `bare-http <GET body>`. It starts the server, sends its fixture to the parent, and tears down
 * when the parent says `stop` or goes away.
 */
import { BenchmarkError } from './benchmark-error.js';
import { startBareHttpServer } from './servers/bare-http.js';
import { startGatehouse } from './servers/gatehouse.js';
import { startOidcProvider } from './servers/oidc-provider.js';
import { Teardown } from './teardown.js';

export type ServerName = 'gatehouse' | 'oidc-provider' | 'bare-http';

async function start(name: string, args: string[], teardown: Teardown): Promise<unknown> {
  switch (name) {
    case 'gatehouse':
      return startGatehouse(teardown);
    case 'oidc-provider':
      return startOidcProvider(teardown);
    case 'bare-http':
      return { baseUrl: await startBareHttpServer(teardown, args[0] ?? '') };
    default:
      throw new BenchmarkError(`no benchmark server named "${name}"`);
  }
}

async function main(): Promise<void> {
  const [name = '', ...args] = process.argv.slice(2);
  const teardown = new Teardown();
  const stop = async () => {
    await teardown.runAll();
    process.disconnect?.();
  };
  process.once('message', () => void stop());
  process.once('disconnect', () => void teardown.runAll());
  try {
    process.send!(await start(name, args, teardown));
  } catch (err) {
    await teardown.runAll();
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof BenchmarkError ? `bench: ${err.message}` : err);
  process.exitCode = 1;
  process.disconnect?.();
});
