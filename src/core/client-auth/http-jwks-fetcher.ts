import { MAX_JWKS_BYTES, checkJwks } from '../clients/validate-client-keys.js';
import { JwksFetchError, type FetchedJwks, type JwksFetcher } from './jwks-fetcher.js';

/** How long one read of a `jwks_uri` may take, connection to last byte. */
export const JWKS_FETCH_TIMEOUT_MS = 5000;

/**
 * Reads a `jwks_uri` over HTTP, bounding what a client-chosen URL can cost (the SSRF this opens is the back-channel
 * logout one's, README › Security): GET only, no redirect followed (a 3xx is a failure: the URI was registered, its
 * target was not), a deadline for the whole read, at most `MAX_JWKS_BYTES` read, and only a JWK Set of public keys kept.
 */
export class HttpJwksFetcher implements JwksFetcher {
  constructor(private readonly timeoutMs = JWKS_FETCH_TIMEOUT_MS) {}

  async fetch(uri: string): Promise<FetchedJwks> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let text: string;
    let cacheControl: string | null;
    try {
      const response = await fetch(uri, { headers: { accept: 'application/json, application/jwk-set+json' }, redirect: 'manual', signal });
      if (response.status !== 200) {
        await response.body?.cancel();
        throw new JwksFetchError(`it answered HTTP ${response.status}`);
      }
      cacheControl = response.headers.get('cache-control');
      text = await readAtMost(response, MAX_JWKS_BYTES);
    } catch (err) {
      if (err instanceof JwksFetchError) throw err;
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw new JwksFetchError(timedOut ? `it did not answer within ${this.timeoutMs / 1000} s` : 'it could not be reached', {
        cause: err,
      });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new JwksFetchError('its answer is not JSON');
    }
    const jwks = checkJwks(parsed, (why) => new JwksFetchError(`its answer is not a JWK Set of public keys (${why})`));
    return { jwks, maxAgeSeconds: maxAge(cacheControl) };
  }
}

/** The body as text, refused (and the rest not read) past `limit` bytes. */
async function readAtMost(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw new JwksFetchError(`its answer is larger than ${limit / 1024} KiB`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new JwksFetchError(`its answer is larger than ${limit / 1024} KiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function maxAge(cacheControl: string | null): number | undefined {
  if (cacheControl === null) return undefined;
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(cacheControl)) return 0;
  const match = /(^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(cacheControl);
  return match ? Number(match[2]) : undefined;
}
