import { invalidRequest } from '../../errors/oauth-error.js';
import type { AuthorizationCheck } from '../authorization-request.js';

/**
 * `redirect_uri` is exactly, byte for byte, one the client registered (RFC 9700 §4.1.3, spec §2.1). No normalisation:
 * a trailing slash, a different case, port, path or query, or user info makes it a different URI. One exception, for
 * every client type: RFC 8252 §7.3 says a loopback IP redirect URI "MUST allow any port", because a native app (or a
 * command-line client such as `gatehouse login`) listens on whatever port the OS gives it.
 */
export const checkRedirectUri: AuthorizationCheck<never> = (context) => {
  const redirectUri = context.params.get('redirect_uri');
  if (redirectUri === undefined) throw invalidRequest('missing_parameter', 'The parameter redirect_uri is required.');
  if (!context.client!.redirectUris.some((registered) => redirectUriMatches(registered, redirectUri))) {
    throw invalidRequest('redirect_uri_unregistered', 'The redirect_uri does not match any redirect URI registered for this application.');
  }
  context.redirectUri = redirectUri;
};

/**
 * `http://127.0.0.1` or `http://[::1]` and an optional port, ending where the path or query starts. Only IP literals:
 * RFC 8252 §8.3 advises against `localhost`, which a resolver may send elsewhere. The host must end right there, so
 * `http://127.0.0.1.evil.example/` and `http://127.0.0.1:80@evil.example/` do not count.
 */
const LOOPBACK_ORIGIN = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?(?=[/?]|$)/;

/** Exact match, or two loopback URIs that differ in nothing but the port. */
export function redirectUriMatches(registered: string, requested: string): boolean {
  if (registered === requested) return true;
  const loopback = withoutLoopbackPort(registered);
  return loopback !== undefined && loopback === withoutLoopbackPort(requested);
}

function withoutLoopbackPort(uri: string): string | undefined {
  const match = LOOPBACK_ORIGIN.exec(uri);
  return match ? `http://${match[1]}${uri.slice(match[0].length)}` : undefined;
}
