import { invalidRequest } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `redirect_uri` is exactly, byte for byte, one the client registered (RFC 9700 §4.1.3, spec §2.1). No normalisation:
 * a trailing slash, a different case, port, path or query, or user info makes it a different URI.
 */
export const checkRedirectUri: AuthorizationCheck = (context) => {
  const redirectUri = context.params.get('redirect_uri');
  if (redirectUri === undefined) throw invalidRequest('missing_parameter', 'The parameter redirect_uri is required.');
  if (!context.client!.redirectUris.includes(redirectUri)) {
    throw invalidRequest('redirect_uri_unregistered', 'The redirect_uri does not match any redirect URI registered for this application.');
  }
  context.redirectUri = redirectUri;
};
