/**
 * One benchmarked server in a process of its own (see `servers/child-process.ts`): `node server-process.js gatehouse
 * <options JSON>`, `oidc-provider`, or `bare-http <GET body>`. It starts the server, sends its fixture to the parent,
 * answers the parent's requests (a purge, timed here, where it runs), and tears down when the parent says `stop` or
 * goes away.
 */
import { BenchmarkError } from './benchmark-error.js';
import { startBareHttpServer } from './servers/bare-http.js';
import { startGatehouse, type GatehouseControls } from './servers/gatehouse.js';
import type { ParentMessage, PurgeAnswer } from './servers/messages.js';
import { startOidcProvider } from './servers/oidc-provider.js';
import { Teardown } from './teardown.js';

async function start(name: string, args: string[], teardown: Teardown): Promise<{ fixture: unknown; controls?: GatehouseControls }> {
  switch (name) {
    case 'gatehouse': {
      const { node, controls } = await startGatehouse(JSON.parse(args[0] ?? '{}'), teardown);
      return { fixture: node, controls };
    }
    case 'oidc-provider':
      return { fixture: await startOidcProvider(teardown) };
    case 'bare-http':
      return { fixture: { baseUrl: await startBareHttpServer(teardown, args[0] ?? '') } };
    default:
      throw new BenchmarkError(`no benchmark server named "${name}"`);
  }
}

async function main(): Promise<void> {
  const [name = '', ...args] = process.argv.slice(2);
  const teardown = new Teardown();
  process.once('disconnect', () => void teardown.runAll());
  try {
    const { fixture, controls } = await start(name, args, teardown);
    process.on('message', (message: ParentMessage) => {
      if (message === 'stop') void teardown.runAll().then(() => process.disconnect?.());
      else void purge(controls, message.purgeBefore).then((answer) => process.send!(answer));
    });
    process.send!(fixture);
  } catch (err) {
    await teardown.runAll();
    throw err;
  }
}

async function purge(controls: GatehouseControls | undefined, before: number): Promise<PurgeAnswer> {
  if (!controls) throw new BenchmarkError('only Gatehouse purges');
  const started = performance.now();
  const deleted = await controls.purgeExpired(before);
  return { deleted, milliseconds: performance.now() - started };
}

main().catch((err: unknown) => {
  console.error(err instanceof BenchmarkError ? `bench: ${err.message}` : err);
  process.exitCode = 1;
  process.disconnect?.();
});
