import type { DataCenter, DataCenters } from '../datacenters/data-centers.js';
import type { OAuthError } from '../errors/oauth-error.js';

/**
 * What every successful redirect back to a client says of data centres (spec §9): Zoho's `location` and
 * `accounts-server` name the user's home DC (`dc`), where the user's codes and tokens belong, and RFC 9207's `iss` the
 * accounts server that answered, `at`.
 */
export function dataCenterRedirectParams(
  dc: string | null,
  at: DataCenter,
  dcs: DataCenters,
): { location: string; 'accounts-server': string; iss: string } {
  // A DC since removed from the configuration: the primary is the one left to send the user to.
  const home = dcs.of(dc) ?? dcs.primary;
  return { location: home.location, 'accounts-server': home.issuer, iss: at.issuer };
}

/**
 * Appends response parameters to a redirect URI. The URI is used exactly as registered: parsing and re-serialising
 * it (new URL) could change its spelling, which the client may compare byte for byte. RFC 6749 §3.1.2: a query
 * component it has "MUST be retained".
 */
export function redirectWith(redirectUri: string, mode: 'query' | 'fragment', params: Record<string, string | null | undefined>): string {
  const encoded = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null && value !== undefined) encoded.append(name, value);
  if (mode === 'fragment') return `${redirectUri}#${encoded}`;
  return `${redirectUri}${redirectUri.includes('?') ? '&' : '?'}${encoded}`;
}

/**
 * An error sent back to the client (RFC 6749 §4.1.2.1), with `state` and, per RFC 9207, the issuer, so a client that
 * talks to several servers can tell who answered.
 */
export function errorRedirect(
  target: { redirectUri: string; responseMode: 'query' | 'fragment'; state: string | null },
  error: OAuthError,
  issuer: string,
): string {
  return redirectWith(target.redirectUri, target.responseMode, {
    error: error.code,
    error_description: error.description,
    state: target.state,
    iss: issuer,
  });
}
