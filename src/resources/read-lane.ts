import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Answers a GET below one prefix from memory: the body of a 200 JSON answer, or undefined to leave the request to
 * Fastify. `rest` is the path after the prefix as sent, not decoded, query string included.
 */
export type MemoryRoute = (rest: string, authorization: string | string[] | undefined) => string | undefined;

/** Writes the request log line of a request the lane answered (status, milliseconds taken). */
export type LaneRequestLog = (request: IncomingMessage, statusCode: number, responseTime: number) => void;

/** The content type of the APIs' JSON answers, as Fastify writes it for objects. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * The read lane: a GET that Gatehouse's memory answers outright (a sample API's record by id, when the store's read
 * cache holds the token and the record) is answered from node:http's request event, before Fastify builds a request
 * and a reply, routes and looks for hooks. On the benchmark machine that machinery costs about as much as checking the
 * token and finding the record together, and a resource server's traffic is mostly such reads.
 *
 * Every other request, and every one of these the memory cannot answer (a miss, a refusal of any kind), goes to
 * Fastify untouched, which does the whole work and says what is wrong; so errors have one exit still. The lane gives
 * only answers the route would give byte for byte (same status, headers and body; tested). While requests are logged
 * it writes their log line itself, the line Fastify would write. It closes when the server starts closing, so that
 * Fastify answers as it does then. Root-level Fastify hooks would not see the lane's requests: the only one, the
 * request log, is done here.
 */
export class ReadLane {
  private readonly routes: Array<{ prefix: string; route: MemoryRoute }> = [];

  private open = true;

  constructor(private readonly log?: LaneRequestLog) {}

  /** Paths beginning with `prefix` (ending in a slash) are offered to `route` first. */
  add(prefix: string, route: MemoryRoute): void {
    this.routes.push({ prefix, route });
  }

  close(): void {
    this.open = false;
  }

  /**
   * Puts the lane in front of the handler Fastify gave its server (the server's one `request` listener). Not through
   * Fastify's `serverFactory`: with one, Fastify binds only the first address of `localhost`, not IPv4 and IPv6 both.
   * A second server Fastify makes for `localhost`'s other address answers without the lane, which only costs speed.
   */
  install(server: Server): void {
    const listeners = server.listeners('request');
    if (listeners.length !== 1)
      throw new Error(`The read lane expects the server's one request listener (Fastify's); found ${listeners.length}.`);
    const fastify = listeners[0] as (request: IncomingMessage, response: ServerResponse) => void;
    server.removeListener('request', fastify);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (!this.answer(request, response)) fastify(request, response);
    });
  }

  /** Whether the lane answered; if not, nothing was written and the request is untouched. */
  private answer(request: IncomingMessage, response: ServerResponse): boolean {
    if (!this.open || request.method !== 'GET') return false;
    const started = this.log && performance.now();
    const url = request.url!;
    for (const { prefix, route } of this.routes) {
      if (!url.startsWith(prefix)) continue;
      let body: string | undefined;
      try {
        body = route(url.slice(prefix.length), request.headers.authorization);
      } catch {
        // A failure here (the store closing under a request, say) would be thrown from node:http's event and end the
        // process. Fastify meets it again in the route and answers it through the error exit, logged.
        return false;
      }
      if (body === undefined) return false;
      response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
      response.end(body);
      if (this.log) this.log(request, 200, performance.now() - started!);
      return true;
    }
    return false;
  }
}
