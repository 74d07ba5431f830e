import { demandsMultiFactor } from '../../oidc/acr.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * The level of sign-in the request asks for: `acr_values` (OpenID Connect Core §3.1.2.1), or an essential `acr`
 * claim in the `claims` parameter (§5.5.1.1), which the request must then meet. Either one naming only
 * `urn:gatehouse:loa:2` makes a second factor necessary; a password-only session then steps up.
 */
export const checkAcr: AuthorizationCheck = (context) => {
  const acrValues = context.params.get('acr_values')?.split(' ') ?? [];
  const essential = context.claims?.idTokenAcr?.essential ? context.claims.idTokenAcr.values : [];
  context.multiFactor = demandsMultiFactor(acrValues) || demandsMultiFactor(essential);
};
