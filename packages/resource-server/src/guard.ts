import { readAccessToken } from './bearer.js';
import { ResourceError } from './errors.js';
import { anyCovers, parseScopeName, type Scope } from './scope-grammar.js';
import type { TokenInfo, TokenVerifier } from './token-info.js';

export interface GuardOptions {
  verify: TokenVerifier;
  /** Every one of these must be covered by the token's scopes (`ZohoCRM.modules.ALL` covers `…leads.READ`). */
  scopes?: readonly string[];
}

/**
 * The whole check, framework-free: read the token from the Authorization header, verify it, and make sure its scopes
 * cover what the resource needs. Resolves to the token's info or throws a ResourceError.
 */
export async function guard(authorization: string | string[] | undefined, options: GuardOptions): Promise<TokenInfo> {
  const info = await options.verify(readAccessToken(authorization));
  if (!info) throw new ResourceError('INVALID_TOKEN');
  const required = options.scopes ?? [];
  if (required.length > 0 && !scopesCover(info.scopes, required)) throw new ResourceError('OAUTH_SCOPE_MISMATCH', required);
  return info;
}

/** Whether granted scope names cover every required one, by Zoho's hierarchy (spec §7.1). */
export function scopesCover(granted: readonly string[], required: readonly string[]): boolean {
  const grantedScopes = granted.map(parsedScope).filter((s): s is Scope => s !== undefined);
  return required.every((name) => {
    const scope = parsedScope(name);
    if (!scope) throw new Error(`Not a scope name: ${name}`);
    return anyCovers(grantedScopes, scope);
  });
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
