import { ResourceError } from './errors.js';

/** The scheme in any case, then RFC 6750 §2.1's b64token. */
const AUTHORIZATION = /^(?:Bearer|Zoho-oauthtoken)[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;
/** RFC 9449 §7.1: `DPoP <token>`, the same token syntax. */
const DPOP_AUTHORIZATION = /^DPoP[ \t]+([A-Za-z0-9\-._~+/]+=*)[ \t]*$/i;

/**
 * The access token of a request: `Authorization: Zoho-oauthtoken <token>` (spec §11) or `Bearer <token>`
 * (RFC 6750 §2.1), the scheme in any case; undefined when there is no header or it has another shape, so that the
 * caller answers in its own terms. The header only: a token in the query string would end up in logs and Referer
 * headers (RFC 9700 §4.3.2), and Zoho does not accept one there either.
 */
export function accessTokenOf(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  return value === undefined ? undefined : AUTHORIZATION.exec(value)?.[1];
}

/** `accessTokenOf`, refusing a request without one as Zoho does: `AUTHENTICATION_FAILURE`. */
export function readAccessToken(authorization: string | string[] | undefined): string {
  const token = accessTokenOf(authorization);
  if (token === undefined) throw new ResourceError('AUTHENTICATION_FAILURE');
  return token;
}

const DPOP_SCHEME = /^DPoP[ \t]/i;

/** Whether the header names the DPoP scheme (RFC 9449 §7.1), whatever follows. */
export function usesDpopScheme(authorization: string | string[] | undefined): authorization is string {
  return typeof authorization === 'string' && DPOP_SCHEME.test(authorization);
}

/** The token of `Authorization: DPoP <token>`; undefined for any other shape. */
export function dpopAccessTokenOf(authorization: string): string | undefined {
  return DPOP_AUTHORIZATION.exec(authorization)?.[1];
}
