import type { ScopeRegistry } from '../scopes/registry.js';
import { anyCovers } from '@gatehouse/resource-server';
import { grantedScopes } from '../grants/granted-scopes.js';
import type { Consent } from './consent-repository.js';
import type { AuthorizationRequest } from './authorization-request.js';

/**
 * Whether the user must be asked (spec §2.1): always with `prompt=consent`; otherwise only when this client was never
 * granted every requested scope. A broader earlier grant counts: `ZohoCRM.modules.ALL` covers a later request for
 * `ZohoCRM.modules.leads.READ`.
 */
export function needsConsent(request: AuthorizationRequest, consent: Consent | undefined, registry: ScopeRegistry): boolean {
  if (request.prompts.includes('consent') || !consent) return true;
  const granted = grantedScopes(consent.scopes, registry);
  return !grantedScopes(request.scope, registry).every((scope) => anyCovers(granted, scope));
}
