import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorStyle } from '../core/config/config.js';
import { invalidRequest, isOAuthError, serverError, type OAuthError, type OAuthErrorCode } from '../core/errors/oauth-error.js';
import { toZohoErrorBody } from '../core/errors/zoho-style.js';

/**
 * Which wire an endpoint's errors take:
 * - `token`: the configured style; Zoho's style answers HTTP 200 (spec §3.3).
 * - `revocation`: the configured style's body; Zoho answers an invalid token with HTTP 400 (spec §5), so the status stays.
 * - `resource`: RFC 6750 §3, with a `WWW-Authenticate: Bearer` challenge.
 * - `standard`: RFC only, whatever the style (introspection, discovery: spec decision 8).
 */
export type ErrorChannel = 'token' | 'revocation' | 'resource' | 'standard';

declare module 'fastify' {
  interface FastifyContextConfig {
    errorChannel?: ErrorChannel;
  }
}

export const REALM = 'gatehouse';

const DPOP_ERRORS: ReadonlySet<OAuthErrorCode> = new Set(['invalid_dpop_proof', 'use_dpop_nonce']);

/** The one place OAuth errors become responses. Installed as the OAuth plugin's error handler. */
export function oauthErrorHandler(style: ErrorStyle) {
  return (error: FastifyError | OAuthError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const err = toOAuthError(error);
    if (err.code === 'server_error') request.log.error({ err: err.cause }, 'request failed');
    else request.log.info({ oauthError: err.code, reason: err.reason, detail: err.detail }, 'oauth error');

    const channel = request.routeOptions.config.errorChannel ?? 'standard';
    reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    if (err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter));
    if (err.dpopNonce !== undefined) reply.header('dpop-nonce', err.dpopNonce);
    if (err.code === 'invalid_client' && request.headers.authorization !== undefined) {
      // RFC 6749 §5.2: a client that tried the Authorization header gets 401 with a matching challenge.
      reply.header('www-authenticate', `Basic realm="${REALM}"`);
    }
    if (channel === 'resource') reply.header('www-authenticate', bearerChallenge(err));
    // RFC 9110 §15.5.6: a 405 names the methods that work; every endpoint that refuses a method is POST-only.
    if (err.reason === 'method_not_allowed') reply.header('allow', 'POST');

    // DPoP's errors keep RFC 9449's wire whatever the style: only DPoP clients meet them, and they read the status.
    if (style === 'zoho' && (channel === 'token' || channel === 'revocation') && !DPOP_ERRORS.has(err.code)) {
      // A plain serializer: the token route's response schema describes success bodies, and Zoho's errors are 200s.
      // A wrong method is the exception: Zoho answers it with HTTP 400 (spec §3, "POST only"), as its SDKs expect.
      return reply
        .code(err.reason === 'method_not_allowed' ? 400 : channel === 'token' ? 200 : err.status)
        .serializer(JSON.stringify)
        .send(toZohoErrorBody(err));
    }
    const body = { error: err.code, error_description: err.description };
    return reply.code(err.status).send(err.userLocation === undefined ? body : { ...body, user_location: err.userLocation });
  };
}

/**
 * RFC 6750 §3: no error attributes when the request carried no token at all. The description keeps only the characters
 * §3 allows in it: a quote or backslash would end the value, and a character beyond ASCII (a typographic apostrophe in
 * a message) cannot be sent in a header at all, which failed the whole answer.
 */
function bearerChallenge(err: OAuthError): string {
  if (err.reason === 'token_missing') return `Bearer realm="${REALM}"`;
  const scope = err.scope ? `, scope="${err.scope}"` : '';
  const description = err.description.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '');
  return `Bearer realm="${REALM}", error="${err.code}", error_description="${description}"${scope}`;
}

/** Fastify's own request errors are client errors in OAuth terms; anything else unknown is a server error. */
function toOAuthError(error: FastifyError | OAuthError): OAuthError {
  if (isOAuthError(error)) return error;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return invalidRequest('body_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidRequest('unsupported_content_type', 'Send parameters as application/x-www-form-urlencoded or multipart/form-data.');
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return invalidRequest('malformed_body', 'The request is malformed.');
  }
  return serverError(error);
}
