/**
 * The one check for the URLs a client registers (redirect URIs, back-channel logout, jwks_uri, homepage): each field
 * declares its rule and words the reason its own way, so a rule such as "no user info" is written once.
 */
export interface ClientUrlRule {
  /**
   * `https`: https, or plain http on a loopback host (a developer's machine, tests); for URLs Gatehouse itself
   * connects to. `web`: http or https. `any`: any absolute URI; the caller judges the scheme (a mobile app's own).
   */
  scheme: 'https' | 'web' | 'any';
  fragment: 'forbidden' | 'allowed';
  maxLength: number;
}

export type ClientUrlFault = 'too_long' | 'fragment' | 'white_space' | 'not_absolute' | 'user_info' | 'scheme';

/** Every field's limit: long enough for any real URL, short enough to store and show. */
export const MAX_CLIENT_URL = 2048;

/**
 * A URL Gatehouse itself requests (logout tokens POSTed to it, keys read from it): plain http would let anyone on the
 * path read or change what passes, so only loopback may use it. Back-Channel Logout §2.2 forbids a fragment, and a
 * fragment is never sent in a request anyway.
 */
export const SERVER_REQUESTED_URL: ClientUrlRule = { scheme: 'https', fragment: 'forbidden', maxLength: MAX_CLIENT_URL };

/** The first rule `uri` breaks, in the order a person would fix them; undefined when it keeps them all. */
export function clientUrlFault(uri: string, rule: ClientUrlRule): ClientUrlFault | undefined {
  if (uri.length > rule.maxLength) return 'too_long';
  // The raw text, not the parsed URL: `hash` is empty for a URL that ends in a bare `#`.
  if (rule.fragment === 'forbidden' && uri.includes('#')) return 'fragment';
  // The URL parser would encode or drop it, so the URL used would not be the one registered and shown.
  if (/\s/.test(uri)) return 'white_space';
  if (!URL.canParse(uri)) return 'not_absolute';
  const url = new URL(uri);
  if (url.username || url.password) return 'user_info';
  return schemeAllowed(url, rule.scheme) ? undefined : 'scheme';
}

/**
 * Why `uri` breaks `rule`, as words that follow the quoted URI (`"…" is not an absolute URI`); undefined when it keeps
 * it. `wording` replaces the reason for a fault where a field has its own (a specification to cite).
 */
export function clientUrlProblem(
  uri: string,
  rule: ClientUrlRule,
  wording: Partial<Record<ClientUrlFault, string>> = {},
): string | undefined {
  const fault = clientUrlFault(uri, rule);
  return fault === undefined ? undefined : (wording[fault] ?? defaultReason(fault, rule));
}

/** The URL as a message quotes it, a long one cut so that the message stays readable. */
export function quoteClientUrl(uri: string): string {
  return `"${uri.length > 80 ? `${uri.slice(0, 77)}...` : uri}"`;
}

function defaultReason(fault: ClientUrlFault, rule: ClientUrlRule): string {
  switch (fault) {
    case 'too_long':
      return `is longer than ${rule.maxLength} characters`;
    case 'fragment':
      return 'has a fragment (#)';
    case 'white_space':
      return 'contains white space';
    case 'not_absolute':
      return 'is not an absolute URI';
    case 'user_info':
      return 'has user information (user@host)';
    case 'scheme':
      return rule.scheme === 'https'
        ? 'must start with https:// (http:// only for localhost, 127.0.0.1 or [::1])'
        : 'must start with http:// or https://';
  }
}

function schemeAllowed(url: URL, scheme: ClientUrlRule['scheme']): boolean {
  const { protocol } = url;
  if (scheme === 'any') return true;
  if (protocol === 'https:') return true;
  return protocol === 'http:' && (scheme === 'web' || isLoopback(url.hostname));
}

/** The parser has already normalised the host: `127.1`, `0x7f.0.0.1` and `LOCALHOST` arrive as the forms below. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
