import { accessTokenOf } from '@gatehouse/resource-server';
import { invalidRequest, invalidToken } from '../core/errors/oauth-error.js';

/**
 * The access token of a request to Gatehouse's own profile endpoints, read as every protected API reads it
 * (`accessTokenOf`: `Zoho-oauthtoken` or `Bearer`, header only), refused in RFC 6750 §3.1's terms: no token is
 * `invalid_token` without detail, a header of another shape `invalid_request`.
 */
export function readBearerToken(header: string | undefined): string {
  const token = accessTokenOf(header);
  if (token !== undefined) return token;
  if (header === undefined || header.trim() === '') throw invalidToken('token_missing', 'An access token is required.');
  throw invalidRequest('invalid_parameter', 'The Authorization header must be "Bearer <token>" or "Zoho-oauthtoken <token>".');
}
