/**
 * The one family of protocol errors. Every failure that reaches the wire of an OAuth endpoint is one of these;
 * `http/error-exit.ts` is the only place that turns them into responses.
 *
 * - `code` is the RFC error code (RFC 6749 §5.2, RFC 6750 §3.1, RFC 7009 §2.2.1).
 * - `reason` is a stable, finer sub-code; it is what the Zoho error style maps from (see `zoho-style.ts`).
 * - `description` is public text, safe to show a client.
 * - `detail` is internal only: logged, never sent.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'unsupported_token_type'
  | 'unsupported_response_type'
  | 'consent_required'
  | 'login_required'
  | 'client_not_granted'
  | 'prompt_required'
  | 'interaction_required'
  | 'unmet_authentication_requirements'
  | 'authorization_pending'
  | 'slow_down'
  | 'expired_token'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  | 'other_dc'
  | 'invalid_request_object'
  | 'request_uri_not_supported'
  | 'invalid_request_uri'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'missing_org_info'
  | 'server_error';

/** Stable sub-codes. Tests assert them; the Zoho error style maps them to Zoho's own codes; docs/errors.md lists them. */
export const OAUTH_ERROR_REASONS = [
  'method_not_allowed',
  'unsupported_content_type',
  'body_too_large',
  'malformed_body',
  'duplicate_parameter',
  'missing_parameter',
  'invalid_parameter',
  'multiple_client_authentication',
  'client_unknown',
  'client_secret_missing',
  'client_secret_mismatch',
  'client_auth_method_mismatch',
  'client_assertion_invalid',
  'code_unknown',
  'code_expired',
  'code_used',
  'redirect_uri_mismatch',
  'pkce_failed',
  'refresh_token_unknown',
  'user_disabled',
  'grant_not_allowed',
  'grant_type_unknown',
  'scope_unknown',
  'scope_not_granted',
  'resource_unknown',
  'resource_not_granted',
  'throttled',
  'token_missing',
  'token_invalid',
  'token_type_unknown',
  'client_not_browser_based',
  'redirect_uri_unregistered',
  'response_type_unknown',
  'response_mode_unsupported',
  'pkce_required',
  'pkce_method_unsupported',
  'user_denied',
  'consent_needed',
  'login_needed',
  'interaction_needed',
  'multi_factor_unavailable',
  'authorization_pending',
  'slow_down',
  'device_code_expired',
  'enhance_token_unknown',
  'client_not_granted',
  'prompt_needed',
  'dpop_proof_invalid',
  'dpop_nonce_needed',
  'dpop_required',
  'dpop_key_mismatch',
  'client_not_in_data_center',
  'wrong_data_center',
  'other_dc',
  'request_object_invalid',
  'request_object_required',
  'request_uri_unsupported',
  'request_uri_not_allowed',
  'request_uri_unknown',
  'par_required',
  'redirect_uri_invalid',
  'client_metadata_invalid',
  'missing_org_info',
  'org_grant',
  'scope_not_for_org',
  'no_org_administered',
  'internal',
] as const;
export type OAuthErrorReason = (typeof OAUTH_ERROR_REASONS)[number];

export interface OAuthErrorOptions {
  /** Public text for the client; defaults to the code's fixed description. */
  description?: string;
  /** Internal text for the log only. */
  detail?: string;
  /** Seconds a throttled client should wait (sent as `Retry-After`). */
  retryAfter?: number;
  /** Scope a resource needed (RFC 6750 `scope` attribute). */
  scope?: string;
  /** The DPoP nonce the client must use next (RFC 9449 §8, sent as `DPoP-Nonce`). */
  dpopNonce?: string;
  /** The device flow's `other_dc`: the DC whose accounts server the device must poll instead (`user_location`). */
  userLocation?: string;
  cause?: unknown;
}

export class OAuthError extends Error {
  readonly detail: string | undefined;
  readonly retryAfter: number | undefined;
  readonly scope: string | undefined;
  readonly dpopNonce: string | undefined;
  readonly userLocation: string | undefined;

  constructor(
    readonly code: OAuthErrorCode,
    readonly reason: OAuthErrorReason,
    readonly status: number,
    readonly description: string,
    options: OAuthErrorOptions = {},
  ) {
    super(options.description ?? description, { cause: options.cause });
    this.name = 'OAuthError';
    this.description = options.description ?? description;
    this.detail = options.detail;
    this.retryAfter = options.retryAfter;
    this.scope = options.scope;
    this.dpopNonce = options.dpopNonce;
    this.userLocation = options.userLocation;
  }
}

type Reasoned<R extends OAuthErrorReason> = (reason: R, description: string, options?: OAuthErrorOptions) => OAuthError;

function family<R extends OAuthErrorReason>(code: OAuthErrorCode, status: number): Reasoned<R> {
  return (reason, description, options) => new OAuthError(code, reason, status, description, options);
}

/** RFC 6749 §5.2 and §4.1.2.1: malformed, missing or repeated parameters. */
export const invalidRequest = family<
  | 'unsupported_content_type'
  | 'body_too_large'
  | 'malformed_body'
  | 'duplicate_parameter'
  | 'missing_parameter'
  | 'invalid_parameter'
  | 'multiple_client_authentication'
  | 'redirect_uri_unregistered'
  | 'response_mode_unsupported'
  | 'pkce_required'
  | 'pkce_method_unsupported'
  | 'enhance_token_unknown'
  | 'dpop_required'
  | 'request_uri_not_allowed'
  | 'par_required'
>('invalid_request', 400);

/**
 * A POST-only endpoint asked with another method: RFC 9110 §15.5.6's 405, still in OAuth's JSON shape
 * (`invalid_request`) so a client reading `error` understands it. The error exit adds `Allow: POST`.
 */
export const methodNotAllowed = (endpoint: string): OAuthError =>
  new OAuthError(
    'invalid_request',
    'method_not_allowed',
    405,
    `The ${endpoint} accepts POST requests only; send the parameters in a POST body.`,
  );

/** RFC 6749 §5.2: client authentication failed; 401 (the error exit adds `WWW-Authenticate` when Basic was used). */
export const invalidClient = family<
  | 'client_unknown'
  | 'client_secret_missing'
  | 'client_secret_mismatch'
  | 'client_auth_method_mismatch'
  | 'client_assertion_invalid'
  | 'client_not_in_data_center'
  | 'wrong_data_center'
>('invalid_client', 401);

/** RFC 6749 §5.2: the code or refresh token is invalid, expired, revoked, used, or not the client's. */
export const invalidGrant = family<
  | 'code_unknown'
  | 'code_expired'
  | 'code_used'
  | 'redirect_uri_mismatch'
  | 'pkce_failed'
  | 'refresh_token_unknown'
  | 'user_disabled'
  | 'dpop_key_mismatch'
  | 'org_grant'
>('invalid_grant', 400);

export const unauthorizedClient = family<'grant_not_allowed' | 'client_not_browser_based'>('unauthorized_client', 400);
/** RFC 6749 §4.1.2.1. */
export const unsupportedResponseType = family<'response_type_unknown'>('unsupported_response_type', 400);
/** RFC 6749 §4.1.2.1: the resource owner said no. */
export const accessDenied = family<'user_denied' | 'no_org_administered'>('access_denied', 403);
/** OpenID Connect Core §3.1.2.6: `prompt=none`, but the user must sign in or consent. */
export const consentRequired = family<'consent_needed'>('consent_required', 400);
export const loginRequired = family<'login_needed'>('login_required', 400);
/** Zoho's silent refresh (spec §2.4): the user never granted this client, or must be asked (signed out, new scopes). */
export const clientNotGranted = family<'client_not_granted'>('client_not_granted', 400);
export const promptRequired = family<'prompt_needed'>('prompt_required', 400);
/** §3.1.2.6: `prompt=none`, but the user must first do something on a page (choose a password, add a factor). */
export const interactionRequired = family<'interaction_needed'>('interaction_required', 400);
/**
 * The request asks for a level of sign-in that cannot be had (`acr_values` or an essential `acr` claim asking for a
 * second factor the user does not have, or naming no level Gatehouse has): OpenID Connect Core Error Code
 * `unmet_authentication_requirements` 1.0 (final, 2022; registered in IANA's OAuth Extensions Error Registry), which
 * says exactly this, where `access_denied` would say the user refused.
 */
export const unmetAuthenticationRequirements = family<'multi_factor_unavailable'>('unmet_authentication_requirements', 400);
/** The device flow's answers to a poll before the user has decided (RFC 8628 §3.5). */
export const authorizationPending = family<'authorization_pending'>('authorization_pending', 400);
export const slowDown = family<'slow_down'>('slow_down', 400);
export const expiredToken = family<'device_code_expired'>('expired_token', 400);
/** Zoho's device poll at a DC other than the approving user's (spec §3.5): poll `user_location`'s accounts server. */
export const otherDataCenter = (userLocation: string, accountsServer: string): OAuthError =>
  new OAuthError('other_dc', 'other_dc', 400, `The user is in the ${userLocation} data centre; poll ${accountsServer}.`, {
    userLocation,
  });
/**
 * RFC 9126 §4 (the code is RFC 9101's): the authorization request's `request_uri` is unknown, expired, already used
 * or another client's. Always shown on a page: nothing in such a request says where it may be redirected.
 */
export const invalidRequestUri = family<'request_uri_unknown'>('invalid_request_uri', 400);

/**
 * Zoho's answer to a `client_credentials` request whose `soid` names no organisation the Self Client's owner
 * administers (spec §3.4). RFC 6749 has no code for it (§8.5 lets extensions add one); Zoho's word is kept in both
 * error styles, as `other_dc` is.
 */
export const missingOrgInfo = (description: string): OAuthError => new OAuthError('missing_org_info', 'missing_org_info', 400, description);
export const unsupportedGrantType = family<'grant_type_unknown'>('unsupported_grant_type', 400);
export const invalidScope = family<'scope_unknown' | 'scope_not_granted' | 'scope_not_for_org'>('invalid_scope', 400);
/** RFC 8707 §2: a `resource` that is not an absolute URI, not one this server knows, or more than was granted. */
export const invalidTarget = family<'resource_unknown' | 'resource_not_granted'>('invalid_target', 400);

/**
 * A Zoho limit was hit (spec §6). RFC 6749 has no throttling code; Gatehouse answers 429 with `Retry-After` and
 * `access_denied`, the code Zoho itself uses for throttling.
 */
export const throttled = (description: string, retryAfter: number): OAuthError =>
  new OAuthError('access_denied', 'throttled', 429, description, { retryAfter });

/** RFC 6750 §3.1: the access token is missing, expired, revoked or malformed. */
export const invalidToken = family<'token_invalid' | 'token_missing'>('invalid_token', 401);
/** RFC 7591 §3.2.2: dynamic registration refused the client metadata (a redirect URI, or anything else). */
export const invalidRedirectUri = family<'redirect_uri_invalid'>('invalid_redirect_uri', 400);
export const invalidClientMetadata = family<'client_metadata_invalid'>('invalid_client_metadata', 400);
/** RFC 6750 §3.1: the token lacks the scope a resource needs. */
export const insufficientScope = (scope: string): OAuthError =>
  new OAuthError('insufficient_scope', 'scope_not_granted', 403, `The access token does not carry the scope ${scope}.`, { scope });
/** RFC 7009 §2.2.1. */
export const unsupportedTokenType = family<'token_type_unknown'>('unsupported_token_type', 400);

/** RFC 9449 §5: the DPoP proof of a token request is invalid. */
export const invalidDpopProof = (description: string): OAuthError =>
  new OAuthError('invalid_dpop_proof', 'dpop_proof_invalid', 400, description);
/** RFC 9449 §8: the proof must carry the server's nonce; the answer carries the one to use. */
export const useDpopNonce = (nonce: string): OAuthError =>
  new OAuthError('use_dpop_nonce', 'dpop_nonce_needed', 400, 'Resend the request with a DPoP proof carrying the DPoP-Nonce given.', {
    dpopNonce: nonce,
  });

/** RFC 9101 §6.2: the request object is invalid (signature, claims), or the client must send one and did not. */
export const invalidRequestObject = family<'request_object_invalid' | 'request_object_required'>('invalid_request_object', 400);
/** RFC 9101 §6.2: `request_uri` by reference is not served (PAR's own URNs aside). */
export const requestUriNotSupported = family<'request_uri_unsupported'>('request_uri_not_supported', 400);

/** Anything unexpected: the wire gets generic text, the log gets the cause. */
export const serverError = (cause: unknown): OAuthError =>
  new OAuthError('server_error', 'internal', 500, 'The server could not complete the request.', { cause });

export function isOAuthError(err: unknown): err is OAuthError {
  return err instanceof OAuthError;
}
