import { readAccessToken } from './bearer.js';
import { ResourceError } from './errors.js';
import { covers, parseScopeName, type Scope } from './scope-grammar.js';
import type { TokenInfo, TokenVerifier } from './token-info.js';

export interface GuardOptions {
  verify: TokenVerifier;
  /** Every one of these must be covered by the token's scopes (`ZohoCRM.modules.ALL` covers `…leads.READ`). */
  scopes?: readonly string[];
}

/**
 * The whole check, framework-free: read the token from the Authorization header, verify it, and make sure its scopes
 * cover what the resource needs. Resolves to the token's info or rejects with a ResourceError.
 */
export async function guard(authorization: string | string[] | undefined, options: GuardOptions): Promise<TokenInfo> {
  return checkToken(authorization, options);
}

/**
 * `guard` for hot paths: the same check, answered at once when the verifier answers at once (see `TokenVerifier`),
 * else as a promise. Refusals are thrown, or rejected when the answer is a promise.
 */
export function checkToken(authorization: string | string[] | undefined, options: GuardOptions): TokenInfo | Promise<TokenInfo> {
  const verdict = options.verify(readAccessToken(authorization));
  return isPromiseLike(verdict) ? Promise.resolve(verdict).then((info) => admit(info, options.scopes)) : admit(verdict, options.scopes);
}

/** Any thenable, not only a native promise: a verifier may use another promise library. */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function admit(info: TokenInfo | undefined, required: readonly string[] = []): TokenInfo {
  if (!info) throw new ResourceError('INVALID_TOKEN');
  if (required.length > 0 && !scopesCover(info.scopes, required)) throw new ResourceError('OAUTH_SCOPE_MISMATCH', required);
  return info;
}

/** Whether granted scope names cover every required one, by Zoho's hierarchy (spec §7.1). */
export function scopesCover(granted: readonly string[], required: readonly string[]): boolean {
  // Loops rather than map/filter/every: this runs on every protected call, and allocates nothing this way.
  for (const name of required) {
    const scope = parsedScope(name);
    if (!scope) throw new Error(`Not a scope name: ${name}`);
    if (!grantedCovers(granted, scope)) return false;
  }
  return true;
}

function grantedCovers(granted: readonly string[], required: Scope): boolean {
  for (const name of granted) {
    const scope = parsedScope(name);
    if (scope !== undefined && covers(scope, required)) return true;
  }
  return false;
}

/**
 * Scope names come from a small set (a deployment's scopes), and every request checks some: parse each once. Bounded,
 * so a stream of odd names cannot grow it without end.
 */
const parsed = new Map<string, Scope | undefined>();
function parsedScope(name: string): Scope | undefined {
  if (parsed.has(name)) return parsed.get(name);
  const scope = parseScopeName(name);
  if (parsed.size < 10_000) parsed.set(name, scope);
  return scope;
}
