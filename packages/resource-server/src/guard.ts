import { dpopAccessTokenOf, readAccessToken, usesDpopScheme } from './bearer.js';
import { DpopProofError, type DpopVerifier } from './dpop.js';
import { ResourceError } from './errors.js';
import { covers, parseScopeName, type Scope } from './scope-grammar.js';
import type { TokenInfo, TokenVerifier } from './token-info.js';

export interface GuardOptions {
  verify: TokenVerifier;
  /** Every one of these must be covered by the token's scopes (`ZohoCRM.modules.ALL` covers `…leads.READ`). */
  scopes?: readonly string[];
  /** Accept DPoP-bound tokens (RFC 9449 §7); without this, only bearer tokens are (and bound ones never are). */
  dpop?: DpopAcceptance;
}

export interface DpopAcceptance {
  /**
   * The public origin the API is reached at, e.g. `https://api.example.com`: a proof's `htu` must be this origin and
   * the request's path. Configured, never read from the request's Host header, which a client chooses.
   */
  origin: string;
  /** Checks the proofs and remembers their `jti`s; share its replay cache among the nodes serving the API. */
  proofs: DpopVerifier;
}

/** What the guard reads of a request when it accepts DPoP: the method and path the proof must name, and two headers. */
export interface ResourceRequest {
  method: string;
  /** The request target as received: the path, and maybe a query, which `htu` leaves out. */
  url: string;
  headers: { authorization?: string | string[] | undefined; dpop?: string | string[] | undefined };
}

/** The Authorization header alone (bearer tokens only), or the whole request (bearer or DPoP). */
export type Presented = string | string[] | undefined | ResourceRequest;

/**
 * The whole check, framework-free: read the token from the Authorization header, verify it, and make sure its scopes
 * cover what the resource needs. Resolves to the token's info or rejects with a ResourceError.
 */
export async function guard(presented: Presented, options: GuardOptions): Promise<TokenInfo> {
  return checkToken(presented, options);
}

/**
 * `guard` for hot paths: the same check, answered at once when the verifier answers at once (see `TokenVerifier`),
 * else as a promise. Refusals are thrown, or rejected when the answer is a promise. A request that uses the DPoP
 * scheme is always answered with a promise (its proof's signature is checked asynchronously).
 */
export function checkToken(presented: Presented, options: GuardOptions): TokenInfo | Promise<TokenInfo> {
  const request = typeof presented === 'object' && !Array.isArray(presented) ? presented : undefined;
  const authorization = request ? request.headers.authorization : (presented as string | string[] | undefined);
  if (usesDpopScheme(authorization)) return checkDpop(authorization, request, options);
  const verdict = options.verify(readAccessToken(authorization));
  return isPromiseLike(verdict) ? Promise.resolve(verdict).then((info) => admit(info, options.scopes)) : admit(verdict, options.scopes);
}

/**
 * RFC 9449 §7.1: the proof must be one, valid for this request and this token (`ath`), and signed by the key the token
 * is bound to. A bearer token sent with the DPoP scheme is refused: its holder proves nothing by signing.
 */
async function checkDpop(authorization: string, request: ResourceRequest | undefined, options: GuardOptions): Promise<TokenInfo> {
  const token = dpopAccessTokenOf(authorization);
  if (!options.dpop || !request || token === undefined) throw new ResourceError('INVALID_TOKEN', [], 'DPoP');
  const proof = request.headers.dpop;
  // Two DPoP headers reach Node as an array, or joined with a comma, which no compact JWS contains.
  if (typeof proof !== 'string' || proof.includes(',')) throw new ResourceError('INVALID_DPOP_PROOF', [], 'DPoP');
  const query = request.url.indexOf('?');
  const path = query === -1 ? request.url : request.url.slice(0, query);
  const verified = await options.dpop.proofs
    .verify(proof, { method: request.method, url: options.dpop.origin + path, accessToken: token })
    .catch((err: unknown) => {
      if (err instanceof DpopProofError) throw new ResourceError('INVALID_DPOP_PROOF', [], 'DPoP');
      throw err;
    });
  const info = await options.verify(token);
  if (!info?.jkt) throw new ResourceError('INVALID_TOKEN', [], 'DPoP');
  if (info.jkt !== verified.jkt) throw new ResourceError('INVALID_DPOP_PROOF', [], 'DPoP');
  return admit(info, options.scopes, 'DPoP');
}

/** Any thenable, not only a native promise: a verifier may use another promise library. */
function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function admit(info: TokenInfo | undefined, required: readonly string[] = [], scheme: 'Bearer' | 'DPoP' = 'Bearer'): TokenInfo {
  // RFC 9449 §7.2: a DPoP-bound token presented as a bearer token is no valid token.
  if (!info || (scheme === 'Bearer' && info.jkt !== undefined)) throw new ResourceError('INVALID_TOKEN');
  if (required.length > 0 && !scopesCover(info.scopes, required)) throw new ResourceError('OAUTH_SCOPE_MISMATCH', required, scheme);
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
