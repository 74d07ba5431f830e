import { ResourceError } from './errors.js';

const AUTHORIZATION = /^(?:Bearer|Zoho-oauthtoken)[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/**
 * The access token of a request: `Authorization: Zoho-oauthtoken <token>` (spec §11) or `Bearer <token>`
 * (RFC 6750 §2.1), the scheme in any case. The header only: a token in the query string would end up in logs and
 * Referer headers (RFC 9700 §4.3.2), and Zoho does not accept one there either.
 */
export function readAccessToken(authorization: string | string[] | undefined): string {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = value === undefined ? null : AUTHORIZATION.exec(value);
  if (!match) throw new ResourceError('AUTHENTICATION_FAILURE');
  return match[1]!;
}
