import type { Server } from 'node:http';
import type { Teardown } from '../teardown.js';

/** Listens on a free loopback port, registers the close, and returns the base URL. */
export async function listenOnFreePort(server: Server, name: string, teardown: Teardown): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  teardown.add(`close ${name}`, () => closeServer(server));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`${name} has no TCP address`);
  return `http://127.0.0.1:${address.port}`;
}

/** `close()` alone waits for idle keep-alive sockets (fetch's, autocannon's) to time out; drop them instead. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  server.closeAllConnections();
  await closed;
}
