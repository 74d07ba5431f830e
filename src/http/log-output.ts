import { isatty } from 'node:tty';
import pino from 'pino';
import PinoPretty from 'pino-pretty';
import { logDestination, type LogDestination } from './request-log.js';

export type LogFormat = 'json' | 'pretty';

/**
 * Where `serve` writes its log and in which form. JSON lines, batched (see `logDestination`), unless the log goes to a
 * terminal: a person reads that, so each line is made readable first (pino-pretty in this thread, written at once,
 * which a terminal's pace allows; a log collector's pipe never pays for it). `format` overrides the choice.
 * `destination` is what to flush and close; `stream` is what the logger writes to.
 */
export function serverLog(fd: 1 | 2, format: LogFormat | undefined): { stream: pino.DestinationStream; destination: LogDestination } {
  if ((format ?? (isatty(fd) ? 'pretty' : 'json')) === 'json') {
    const destination = logDestination(fd);
    return { stream: destination, destination };
  }
  const destination = pino.destination({ dest: fd, sync: true });
  const prettify = PinoPretty.prettyFactory({
    colorize: isatty(fd),
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,reqId,req,res,responseTime',
    messageFormat: readableMessage,
  });
  return { stream: { write: (line: string) => destination.write(prettify(line)) }, destination };
}

/** A request's line says what the JSON line does, in one line: `request completed GET /healthz 200 1.2 ms (req-7)`. */
function readableMessage(log: Record<string, unknown>, messageKey: string): string {
  const message = String(log[messageKey] ?? '');
  const req = log.req as { method?: string; path?: string; ip?: string } | undefined;
  if (!req) return log.reqId ? `${message} (${String(log.reqId)})` : message;
  const status = (log.res as { statusCode?: number } | undefined)?.statusCode ?? '';
  const ms = typeof log.responseTime === 'number' ? `${log.responseTime.toFixed(1)} ms` : '';
  return [message, req.method, req.path, status, ms, req.ip && `from ${req.ip}`, log.reqId && `(${String(log.reqId)})`]
    .filter(Boolean)
    .join(' ');
}
