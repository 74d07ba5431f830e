import { createServer } from 'node:http';
import type { Teardown } from '../teardown.js';
import { listenOnFreePort } from './listen.js';

/** Shaped and sized like a Gatehouse client_credentials response, so the floor moves the same bytes. */
const TOKEN_LIKE_BODY = JSON.stringify({
  access_token: `1000.${'0123456789abcdef'.repeat(2)}.${'fedcba9876543210'.repeat(2)}`,
  scope: 'ZohoCRM.modules.ALL',
  api_domain: 'http://gatehouse.bench',
  token_type: 'Bearer',
  expires_in: 3600,
});

/**
 * The floor: node:http answering every request with a fixed JSON body, no routing, parsing or storage: POSTs with a
 * token-like body, GETs with `getBody` (the sample CRM's answer for one lead). Whatever a server does beyond this
 * costs throughput; the ratio to it shows how much.
 */
export async function startBareHttpServer(teardown: Teardown, getBody: string): Promise<string> {
  const server = createServer((request, response) => {
    // Read the body before answering, as a real endpoint must, so POST cases pay for it here too.
    request.resume();
    request.once('end', () => {
      const body = request.method === 'GET' ? getBody : TOKEN_LIKE_BODY;
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  return listenOnFreePort(server, 'the bare node:http server', teardown);
}
