import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * Answers a GET below one prefix from memory: the body of a 200 JSON answer, or undefined to leave the request to
 * Fastify. `rest` is the path after the prefix as sent, not decoded, query string included.
 */
export type MemoryRoute = (rest: string, authorization: string | string[] | undefined) => string | undefined;

/**
 * Told of each request the lane answered (the request log, the metrics): the pattern of the route it answered for,
 * the status, milliseconds taken.
 */
export type LaneWatcher = (request: IncomingMessage, route: string, statusCode: number, responseTime: number) => void;

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
 * it writes their log line itself, the line Fastify would write, and counts them in the metrics. It closes when the server starts closing, so that
 * Fastify answers as it does then. Fastify's hooks and log controller would not see the lane's requests: what they
 * do for every request (the request log line, the request metrics) is done here.
 */
export class ReadLane {
  private readonly routes: Array<{ prefix: string; route: MemoryRoute; pattern: string }> = [];

  private open = true;

  constructor(private readonly watch?: LaneWatcher) {}

  /**
   * Paths beginning with `prefix` (ending in a slash) are offered to `route` first. `pattern` is the Fastify route
   * pattern that would answer them otherwise (`/crm/v8/:module/:id`), the name the request is counted under.
   */
  add(prefix: string, route: MemoryRoute, pattern: string): void {
    this.routes.push({ prefix, route, pattern });
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
    const started = this.watch && performance.now();
    const url = request.url!;
    for (const { prefix, route, pattern } of this.routes) {
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
      if (this.watch) this.watch(request, pattern, 200, performance.now() - started!);
      return true;
    }
    return false;
  }
}
