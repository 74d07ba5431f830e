import { unmetAuthenticationRequirements } from '../../errors/oauth-error.js';
import { demandsMultiFactor, knownAcrValues } from '../../oidc/acr.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * The level of sign-in the request asks for: `acr_values` (OpenID Connect Core §3.1.2.1), or an essential `acr`
 * claim in the `claims` parameter (§5.5.1.1), which the request must then meet. Either one naming only
 * `urn:gatehouse:loa:2` makes a second factor necessary; a password-only session then steps up. An essential claim
 * naming no level Gatehouse has cannot be met, which §5.5.1.1 makes a failed authentication.
 */
export const checkAcr: AuthorizationCheck = (context) => {
  const acrValues = context.params.get('acr_values')?.split(' ') ?? [];
  const essential = context.claims?.idTokenAcr?.essential ? context.claims.idTokenAcr.values : [];
  if (essential.length > 0 && knownAcrValues(essential).length === 0) {
    throw unmetAuthenticationRequirements('multi_factor_unavailable', `The essential acr values name no level this server has.`);
  }
  context.multiFactor = demandsMultiFactor(acrValues) || demandsMultiFactor(essential);
};
