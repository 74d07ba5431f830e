import { connect } from 'node:net';

/**
 * A request as bytes on the wire, so the fuzzer can send what `fetch` and node:http refuse to: any method token, a
 * target with raw `%`, unicode or control bytes, header values with NUL or a lone CR, duplicated headers, chunked bodies.
 * One request per connection (`Connection: close`), and the answer read to the end of the connection.
 */
export interface RawRequest {
  method: string;
  /** Path and query as sent, byte for byte (UTF-8). */
  target: string;
  /** In order; a name may repeat. */
  headers: Array<[string, string]>;
  body?: Buffer;
  /** Send the body as one chunk of a chunked transfer encoding rather than with Content-Length. */
  chunked?: boolean;
}

export interface RawResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Header values never carry a line feed: with one, a value could end the header block and smuggle a second request on
 * the connection, whose effects would be charged to the first. A lone CR, NUL and the rest of the control characters go
 * through as they are.
 */
export function safeHeaderValue(value: string): string {
  return value.replace(/\n/g, '\\n');
}

/** The same rule for the request line: a raw LF would end it early. */
export function safeTarget(target: string): string {
  return target.replace(/\n/g, '%0A');
}

export function sendRaw(port: number, request: RawRequest, timeoutMs = 15_000): Promise<RawResponse> {
  const lines = [`${request.method} ${safeTarget(request.target)} HTTP/1.1`, `host: 127.0.0.1:${port}`, 'connection: close'];
  for (const [name, value] of request.headers) lines.push(`${name}: ${safeHeaderValue(value)}`);
  let body = request.body;
  if (body !== undefined) {
    if (request.chunked) {
      lines.push('transfer-encoding: chunked');
      body = Buffer.concat([
        Buffer.from(body.length > 0 ? `${body.length.toString(16)}\r\n` : ''),
        body,
        Buffer.from(body.length > 0 ? '\r\n0\r\n\r\n' : '0\r\n\r\n'),
      ]);
    } else {
      lines.push(`content-length: ${body.length}`);
    }
  }
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');

  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may answer (413, 400) and close before it has read the whole body: a reset then is not a failure.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(chunks)));
      } catch (err) {
        reject(err);
      }
    });
    socket.write(body === undefined ? head : Buffer.concat([head, body]));
  });
}

function parseResponse(bytes: Buffer): RawResponse {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0)
    throw new Error(
      `the connection closed without an answer (${bytes.length} bytes: ${JSON.stringify(bytes.toString('latin1').slice(0, 200))})`,
    );
  const [statusLine, ...headerLines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine!);
  if (!match) throw new Error(`not an HTTP answer: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = bytes.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = unchunk(body);
  return { status: Number(match[1]), headers, body };
}

function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
