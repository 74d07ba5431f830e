import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { TokenInfo, TokenVerifier } from './token-info.js';

export interface JwtVerifierOptions {
  /** The authorization server's JWKS, e.g. https://accounts.example.com/oauth/v2/keys. */
  jwksUrl?: string;
  /** Or the key set itself (a `createLocalJWKSet`, say); one of the two is needed. */
  keys?: JWTVerifyGetKey;
  /** The issuer the tokens must name (`iss`): the accounts server of the authorization server's DC. */
  issuer: string;
  /**
   * This API's resource identifier(s) (RFC 8707): the token's `aud` must name one. Gatehouse's JWTs name the resources
   * the client asked for with `resource`, or by default the DC's `api_domain`.
   */
  audience: string | readonly string[];
  /** Allowed clock difference for `exp`, `iat` and `nbf`, in seconds (default 5). */
  clockToleranceSeconds?: number;
  /** Signature algorithms accepted (default RS256, what Gatehouse signs with). */
  algorithms?: readonly string[];
  now?: () => number;
}

/**
 * Verifies RFC 9068 JWT access tokens offline: signature against the authorization server's published keys (fetched
 * and cached by jose, refetched for an unknown `kid`), `typ: at+jwt`, `iss`, `aud`, `exp`, with a small clock
 * tolerance. No request to the authorization server per token, so no revocation either: a revoked token is accepted
 * until it expires (see the README, and `revocationChecked` for a mode that pays for it).
 *
 * A token that is not a valid JWT access token for this API is undefined (refused as `invalid_token`); a failure to
 * reach the JWKS rejects, as any verifier failure does.
 */
export function jwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const keys = options.keys ?? (options.jwksUrl !== undefined ? createRemoteJWKSet(new URL(options.jwksUrl)) : undefined);
  if (keys === undefined) throw new Error('jwtVerifier needs jwksUrl or keys');
  const verifyOptions = {
    issuer: options.issuer,
    audience: typeof options.audience === 'string' ? options.audience : [...options.audience],
    typ: 'at+jwt',
    algorithms: [...(options.algorithms ?? ['RS256'])],
    clockTolerance: options.clockToleranceSeconds ?? 5,
    requiredClaims: ['exp', 'iat', 'sub', 'client_id', 'jti'],
  };
  const now = options.now;
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, now ? { ...verifyOptions, currentDate: new Date(now()) } : verifyOptions);
      const jkt = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
      const info: TokenInfo = {
        subject: String(payload.sub),
        clientId: String(payload.client_id),
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter((s) => s !== '') : [],
        expiresAt: payload.exp!,
        ...(typeof jkt === 'string' ? { jkt } : {}),
        ...(typeof payload.org_id === 'string' ? { orgId: payload.org_id } : {}),
      };
      return info;
    } catch (err) {
      // Anything wrong with the token itself is no valid token; anything else (the JWKS unreachable) is a failure.
      if (err instanceof errors.JOSEError && !(err instanceof errors.JWKSTimeout)) return undefined;
      throw err;
    }
  };
}

/**
 * Offline verification, then the authorization server's word on revocation: a token must pass `offline` (signature,
 * issuer, audience, expiry: forged and foreign tokens are refused without a request) and then `online` (Gatehouse's
 * store, or `introspectionVerifier`, whose cache bounds how late a revocation is seen). The info is `online`'s, which
 * speaks for the token as it is now.
 */
export function revocationChecked(offline: TokenVerifier, online: TokenVerifier): TokenVerifier {
  return async (token) => ((await offline(token)) === undefined ? undefined : online(token));
}
