import { invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { ACCESS_TYPES, isImplicit } from '../authorization-parameters.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * Zoho's `access_type`: `online` (the default) gives no refresh token, `offline` does (spec §2.1). OpenID Connect's
 * `offline_access` scope asks the same (Core §11), and is ignored, as §11 says, where no code is returned. Either way a
 * refresh token comes only with a consent given now (the first, or `prompt=consent`: see `approve.ts`), as §11 asks.
 */
export const checkAccessType: AuthorizationCheck = (context) => {
  const wantsOffline = context.scopes!.some((scope) => scope.name === 'offline_access') && !isImplicit(context.responseType);
  const accessType = context.params.get('access_type') ?? (wantsOffline ? 'offline' : ACCESS_TYPES[0]);
  if (!isOneOf(ACCESS_TYPES, accessType)) {
    throw invalidRequest('invalid_parameter', `access_type must be ${ACCESS_TYPES.join(' or ')}.`);
  }
  if (accessType === 'offline' && isImplicit(context.responseType)) {
    throw invalidRequest('invalid_parameter', 'The implicit flow issues no refresh token; access_type=offline needs response_type=code.');
  }
  context.accessType = accessType;
};
