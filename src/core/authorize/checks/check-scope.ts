import { invalidRequest, invalidScope } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/** `scope` is required by Zoho (spec §2.1); every scope must be known (RFC 6749 §3.3). */
export const checkScope: AuthorizationCheck<'parseScopes'> = (context, deps) => {
  const scope = context.params.get('scope');
  if (scope === undefined) throw invalidRequest('missing_parameter', 'The parameter scope is required.');
  const scopes = deps.parseScopes(scope);
  if (scopes.length === 0) throw invalidScope('scope_unknown', 'Request at least one scope.');
  context.scopes = scopes;
};
