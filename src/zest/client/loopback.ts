import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ZestClientError } from './client-error.js';

const PAGE = (message: string) =>
  `<!doctype html><meta charset="utf-8"><title>gatehouse login</title><p>${message} You can close this window.</p>\n`;

/**
 * The loopback redirect of a native client (RFC 8252 §7.3): a listener on 127.0.0.1 at a port the OS picks, which
 * waits for the one redirect that carries our `state` and hands over its code.
 */
export class LoopbackReceiver {
  private constructor(
    private readonly server: Server,
    readonly redirectUri: string,
  ) {}

  static async listen(): Promise<LoopbackReceiver> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return new LoopbackReceiver(server, `http://127.0.0.1:${port}/callback`);
  }

  /** Resolves with the code of the redirect whose state matches; fails on an error redirect or after `timeoutMs`. */
  waitForCode(state: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ZestClientError('zest.login_failed', `No answer from the browser within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      this.server.on('request', (request, response) => {
        const url = new URL(request.url ?? '/', this.redirectUri);
        // Anything else (a favicon, a stray or forged request without our state) is turned away and waited past.
        if (url.pathname !== '/callback' || url.searchParams.get('state') !== state) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
          return;
        }
        const code = url.searchParams.get('code');
        const error = url.searchParams.get('error');
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' });
        clearTimeout(timer);
        if (code) {
          response.end(PAGE('Signed in.'));
          resolve(code);
        } else {
          response.end(PAGE('Sign-in did not complete.'));
          const description = url.searchParams.get('error_description');
          reject(
            new ZestClientError(
              'zest.login_failed',
              `The authorization failed: ${error ?? 'no code'}${description ? ` (${description})` : ''}.`,
            ),
          );
        }
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
