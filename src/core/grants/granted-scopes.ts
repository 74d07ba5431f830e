import type { ScopeRegistry } from '../scopes/registry.js';
import type { Scope } from '@gatehouse/resource-server';

/**
 * Reads a stored scope string back into scopes. Stored names were canonical when written; one since removed from the
 * registry is dropped rather than honoured.
 */
export function grantedScopes(stored: string, registry: ScopeRegistry): Scope[] {
  const out: Scope[] = [];
  for (const name of stored.split(' ')) {
    const scope = name === '' ? undefined : registry.lookup(name);
    if (scope) out.push(scope);
  }
  return out;
}
