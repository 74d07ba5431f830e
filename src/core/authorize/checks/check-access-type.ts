import { invalidRequest } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/** Zoho's `access_type`: `online` (the default) gives no refresh token, `offline` does (spec §2.1). */
export const checkAccessType: AuthorizationCheck = (context) => {
  const accessType = context.params.get('access_type') ?? 'online';
  if (accessType !== 'online' && accessType !== 'offline') {
    throw invalidRequest('invalid_parameter', 'access_type must be online or offline.');
  }
  if (accessType === 'offline' && context.responseType === 'token') {
    throw invalidRequest('invalid_parameter', 'The implicit flow issues no refresh token; access_type=offline needs response_type=code.');
  }
  context.accessType = accessType;
};
