import { parseClaimsRequest } from '../../oidc/claims-request.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/** The `claims` parameter (OpenID Connect Core §5.5), read once here for the checks after it. */
export const checkClaims: AuthorizationCheck = (context) => {
  const raw = context.params.get('claims');
  context.claims = raw === undefined ? null : parseClaimsRequest(raw);
};
