import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * The open connections of the servers Fastify listens with, and how many requests each is in the middle of, so that a
 * shutdown can end the ones with nothing in flight and wait for the others.
 *
 * Node's own `closeIdleConnections` (which Fastify calls when it closes) ends only keep-alive connections between
 * requests. A connection that was opened but has not finished sending a request's headers counts as busy to it, and
 * keeps the server, and so the process, up until its headers timeout (a minute); load balancers and browsers open such
 * connections ahead of need. Here a connection is busy only from the request event to the end of its response.
 */
export class ConnectionTracker {
  private readonly inFlight = new Map<Socket, number>();
  private draining = false;

  /** Starts tracking `app`'s servers; call once it listens (Fastify makes a second server for `localhost` then). */
  static forApp(app: FastifyInstance): ConnectionTracker {
    const tracker = new ConnectionTracker();
    for (const server of listeningServers(app)) tracker.track(server);
    return tracker;
  }

  track(server: Server): void {
    server.on('connection', (socket: Socket) => {
      this.inFlight.set(socket, 0);
      socket.once('close', () => this.inFlight.delete(socket));
    });
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const socket = request.socket;
      this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
      response.once('close', () => {
        const left = (this.inFlight.get(socket) ?? 1) - 1;
        if (!this.inFlight.has(socket)) return;
        this.inFlight.set(socket, left);
        // While draining, a connection whose last request has been answered is ended: left open, a keep-alive client
        // would send its next request on it, and the server would never finish closing.
        // destroySoon: the response's bytes are written first; then the socket goes, whether or not the client closes its side.
        if (this.draining && left === 0) socket.destroySoon();
      });
    });
  }

  /** Open connections, busy or not. */
  get size(): number {
    return this.inFlight.size;
  }

  /**
   * From now on: ends every connection with no request in flight, now and as each one's last response is written.
   * A request whose headers have not all arrived is not in flight: it was never accepted, and a client may retry it.
   */
  drain(): void {
    this.draining = true;
    for (const [socket, requests] of this.inFlight) if (requests === 0) socket.destroy();
  }

  /** Past the shutdown bound: every connection, whatever it is doing. */
  destroyAll(): void {
    for (const socket of this.inFlight.keys()) socket.destroy();
  }
}

/**
 * The server Fastify hands out and, when it listens on `localhost`, the second one it makes for the other address
 * family (IPv4 and IPv6). Fastify does not expose the second; its own close ends it without waiting for its
 * connections, which then keep the process up. Found by the symbol's description, so a Fastify that renames it costs
 * only the tracking of that second server.
 */
function listeningServers(app: FastifyInstance): Server[] {
  const bindings = Object.getOwnPropertySymbols(app).find((symbol) => symbol.description === 'fastify.serverBindings');
  const secondary = bindings ? ((app as unknown as Record<symbol, unknown>)[bindings] as Server[] | undefined) : undefined;
  return [app.server, ...(Array.isArray(secondary) ? secondary : [])];
}
