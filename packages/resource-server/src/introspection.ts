import { createHash } from 'node:crypto';
import type { TokenInfo, TokenVerifier } from './token-info.js';

export interface IntrospectionOptions {
  /** e.g. https://accounts.example.com/oauth/v2/introspect */
  introspectionUrl: string;
  /** A confidential client of the authorization server, used only to introspect. */
  clientId: string;
  clientSecret: string;
  /**
   * How long an answer is reused, in seconds (default 30). A revoked token keeps working here for at most this
   * long; 0 asks every time.
   */
  cacheSeconds?: number;
  /** The most answers kept (default 10,000); the oldest go first. */
  cacheSize?: number;
  /**
   * This API's resource identifier(s) (RFC 8707): a token restricted to an audience (`aud` in the answer) that names
   * none of them is refused. Tokens without an audience are accepted. Absent: every audience is.
   */
  audience?: string | readonly string[];
  fetch?: typeof fetch;
  now?: () => number;
}

interface Cached {
  info: TokenInfo | undefined;
  until: number;
}

/**
 * Verifies tokens by RFC 7662 introspection, for an API deployed apart from Gatehouse. Answers, valid or not, are
 * cached for `cacheSeconds` but never past the token's own expiry; the cache is keyed by a hash of the token, so it
 * holds no usable credential.
 */
export function introspectionVerifier(options: IntrospectionOptions): TokenVerifier {
  const cacheMs = (options.cacheSeconds ?? 30) * 1000;
  const cacheSize = options.cacheSize ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const authorization = `Basic ${Buffer.from(`${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`).toString('base64')}`;
  const cache = new Map<string, Cached>();

  async function ask(token: string): Promise<TokenInfo | undefined> {
    const response = await doFetch(options.introspectionUrl, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ token, token_type_hint: 'access_token' }),
    });
    if (!response.ok) throw new Error(`Introspection failed with HTTP ${response.status}`);
    const answer = (await response.json()) as Record<string, unknown>;
    // A refresh token is no access token, whatever else it grants.
    if (answer.active !== true || answer.token_type === 'refresh_token') return undefined;
    if (!audienceAccepted(answer.aud)) return undefined;
    return {
      subject: String(answer.sub),
      clientId: String(answer.client_id),
      scopes: typeof answer.scope === 'string' ? answer.scope.split(' ').filter((s) => s !== '') : [],
      ...(typeof answer.username === 'string' ? { username: answer.username } : {}),
      ...(typeof answer.exp === 'number' ? { expiresAt: answer.exp } : {}),
      ...boundKey(answer.cnf),
      ...(typeof answer.org_id === 'string' ? { orgId: answer.org_id } : {}),
    };
  }

  const ownAudiences =
    options.audience === undefined ? undefined : typeof options.audience === 'string' ? [options.audience] : options.audience;
  function audienceAccepted(aud: unknown): boolean {
    if (aud === undefined || ownAudiences === undefined) return true;
    const audiences = Array.isArray(aud) ? aud : [aud];
    return ownAudiences.some((own) => audiences.includes(own));
  }

  /** RFC 9449 §6.2: a bound token's introspection names its key's thumbprint as `cnf.jkt`. */
  function boundKey(cnf: unknown): { jkt?: string } {
    const jkt = typeof cnf === 'object' && cnf !== null ? (cnf as { jkt?: unknown }).jkt : undefined;
    return typeof jkt === 'string' ? { jkt } : {};
  }

  async function askAndRemember(token: string, key: string, at: number): Promise<TokenInfo | undefined> {
    const info = await ask(token);
    const until = Math.min(at + cacheMs, info?.expiresAt !== undefined ? info.expiresAt * 1000 : Infinity);
    cache.delete(key);
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(key, { info, until });
    return info;
  }

  // A remembered answer is given at once, not as a promise (see `TokenVerifier`).
  return (token) => {
    if (cacheMs === 0) return ask(token);
    const key = createHash('sha256').update(token).digest('base64url');
    const hit = cache.get(key);
    const at = now();
    if (hit && hit.until > at) return hit.info;
    return askAndRemember(token, key, at);
  };
}
