import { invalidRequest } from '../../errors/oauth-error.js';
import { isOneOf } from '../../params/definitions.js';
import { ACCESS_TYPES, isImplicit } from '../authorization-parameters.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/** Zoho's `access_type`: `online` (the default) gives no refresh token, `offline` does (spec §2.1). */
export const checkAccessType: AuthorizationCheck = (context) => {
  const accessType = context.params.get('access_type') ?? ACCESS_TYPES[0];
  if (!isOneOf(ACCESS_TYPES, accessType)) {
    throw invalidRequest('invalid_parameter', `access_type must be ${ACCESS_TYPES.join(' or ')}.`);
  }
  if (accessType === 'offline' && isImplicit(context.responseType)) {
    throw invalidRequest('invalid_parameter', 'The implicit flow issues no refresh token; access_type=offline needs response_type=code.');
  }
  context.accessType = accessType;
};
