import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import proxyAddr from '@fastify/proxy-addr';
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';

/**
 * Request logs: one line per request, `request completed`, with the method, the path, the client's address, the
 * status and the time taken. The path only: the query strings of Zoho-style calls carry codes, tokens and client
 * secrets; and no header (Authorization, cookies) at all.
 */
export const requestSerializers = {
  req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, path: pathOf(req.url), ip: req.ip }),
};

/** The URL without its query (a slice, not a split: this runs for every request logged). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Whether `level` logs requests (they are logged at `info`). */
export function logsRequests(level: string): boolean {
  return ['trace', 'debug', 'info'].includes(level);
}

/**
 * Where the server's log lines go: standard output (or error), buffered and written asynchronously. A synchronous
 * write per line is a system call per request on the hot path (two, with Fastify's own pair of lines); here lines
 * gather to 4 KiB and go out in one write off the event loop, and a quiet server's lines go within a quarter of a
 * second. At most 16 MiB waits for a slow reader (a stuck log collector); beyond that lines are dropped rather than the
 * server running out of memory. `closeLog` writes what is still buffered, so a clean shutdown loses nothing; so does
 * any exit of the process (a synchronous write of the rest). Measured against synchronous writes, alternating slices:
 * see the README's Performance section.
 */
export function logDestination(fd: 1 | 2) {
  const destination = pino.destination({ dest: fd, sync: false, minLength: 4096, periodicFlush: 250, maxLength: 16 * 1024 * 1024 });
  process.once('exit', () => {
    try {
      destination.flushSync();
    } catch {
      // Closed already (closeLog ran), or never opened: nothing is left to write.
    }
  });
  return destination;
}

export type LogDestination = ReturnType<typeof logDestination>;

export async function closeLog(destination: LogDestination): Promise<void> {
  const closed = once(destination, 'close');
  destination.end();
  await closed;
}

/**
 * Fastify's request logging with one line per request, written once it is answered, and carrying the request too:
 * Fastify's own pair of lines (`incoming request`, `request completed`) cost twice the serialising and writing.
 * When Fastify has a logger it calls this for every answered request, logged or not, so the request metrics are
 * taken here too (`completed`), rather than in an `onResponse` hook that would cost every request a hook run.
 */
export class OneLinePerRequest extends LogController {
  constructor(private readonly completed?: (request: FastifyRequest, reply: FastifyReply) => void) {
    super();
  }

  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    this.completed?.(request, reply);
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/** The same line for a request answered outside Fastify (the read lane), with the address as Fastify would read it. */
export function laneRequestLog(log: FastifyBaseLogger, trustProxy: false | string | undefined) {
  const trust = trustProxy ? proxyAddr.compile(trustProxy.split(',').map((value) => value.trim())) : undefined;
  return (request: IncomingMessage, _route: string, statusCode: number, responseTime: number): void => {
    const ip = trust ? proxyAddr(request, trust) : request.socket.remoteAddress;
    log.info({ req: { method: request.method!, url: request.url!, ip }, res: { statusCode }, responseTime }, 'request completed');
  };
}
