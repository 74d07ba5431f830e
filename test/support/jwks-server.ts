import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the test `jwks_uri` answers next: the keys, or a misbehaviour the fetcher must refuse. */
export type JwksBehaviour = 'serve' | 'slow' | 'oversize' | 'redirect' | 'not-json';

/**
 * A client's `jwks_uri` on a free loopback port, whose keys and behaviour a test changes between requests, and which
 * counts the reads it answered (so a test sees the cache and the refetch limit at work).
 */
export class JwksServer {
  keys: Array<Record<string, unknown>> = [];
  behaviour: JwksBehaviour = 'serve';
  cacheControl = 'max-age=300';
  reads = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<JwksServer> {
    let self: JwksServer | undefined;
    const server = createServer((_request, response) => self!.answer(response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new JwksServer(server, `http://127.0.0.1:${port}/jwks.json`);
    return self;
  }

  private answer(response: import('node:http').ServerResponse): void {
    this.reads++;
    switch (this.behaviour) {
      case 'slow':
        setTimeout(() => response.end(JSON.stringify({ keys: this.keys })), 2000).unref();
        return;
      case 'oversize':
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: this.keys, padding: 'x'.repeat(70 * 1024) }));
        return;
      case 'redirect':
        response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
        response.end();
        return;
      case 'not-json':
        response.end('<html>');
        return;
      default:
        response.writeHead(200, { 'content-type': 'application/jwk-set+json', 'cache-control': this.cacheControl });
        response.end(JSON.stringify({ keys: this.keys }));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
