import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got: its content type and form fields. */
export interface ReceivedLogout {
  contentType: string | undefined;
  form: URLSearchParams;
}

/**
 * A client's back-channel logout endpoint, for real: an HTTP server on a free loopback port that records each POST.
 * `hang` makes it never answer (a slow client); `status` is what it answers otherwise.
 */
export class LogoutReceiver {
  readonly received: ReceivedLogout[] = [];
  private readonly waiting: Array<() => void> = [];
  private readonly open = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly uri: string,
    private readonly behaviour: { hang: boolean; status: number },
  ) {}

  static async start(behaviour: Partial<{ hang: boolean; status: number }> = {}): Promise<LogoutReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new LogoutReceiver(server, `http://127.0.0.1:${port}/backchannel`, { hang: false, status: 200, ...behaviour });
    server.on('request', (request, response) => void receiver.handle(request, response));
    return receiver;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of request) body += chunk;
    this.received.push({ contentType: request.headers['content-type'], form: new URLSearchParams(body) });
    this.waiting.splice(0).forEach((wake) => wake());
    if (this.behaviour.hang) {
      this.open.add(response);
      return;
    }
    response.writeHead(this.behaviour.status).end();
  }

  /** Resolves once `count` POSTs have arrived (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedLogout[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} logout tokens, got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
    return this.received.slice(0, count);
  }

  async close(): Promise<void> {
    for (const response of this.open) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
