import { invalidRequest, invalidToken } from '../core/errors/oauth-error.js';

/**
 * The access token of a resource request: `Authorization: Zoho-oauthtoken <token>` (Zoho, spec §11) or
 * `Authorization: Bearer <token>` (RFC 6750 §2.1), scheme case-insensitive. Header only: Zoho accepts no query
 * parameter, and RFC 9700 §4.3.2 advises against it.
 */
export function readBearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') throw invalidToken('token_missing', 'An access token is required.');
  const match = /^(?:Bearer|Zoho-oauthtoken) +([^\s]+) *$/i.exec(header);
  if (!match) throw invalidRequest('invalid_parameter', 'The Authorization header must be "Bearer <token>" or "Zoho-oauthtoken <token>".');
  return match[1]!;
}
