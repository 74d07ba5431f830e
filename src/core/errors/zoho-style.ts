import type { OAuthError, OAuthErrorReason } from './oauth-error.js';

/**
 * The Zoho error style (spec §3.3, decision 1): every token-endpoint error is HTTP 200 with Zoho's own `error`
 * value. This table is the whole mapping; a reason not listed keeps its RFC code.
 */
const zohoCodeByReason: Partial<Record<OAuthErrorReason, string>> = {
  client_unknown: 'invalid_client',
  grant_type_unknown: 'invalid_client',
  client_secret_missing: 'invalid_client_secret',
  client_secret_mismatch: 'invalid_client_secret',
  code_unknown: 'invalid_code',
  code_expired: 'invalid_code',
  code_used: 'invalid_code',
  pkce_failed: 'invalid_code',
  refresh_token_unknown: 'invalid_code',
  user_disabled: 'invalid_code',
  dpop_key_mismatch: 'invalid_code',
  redirect_uri_mismatch: 'invalid_redirect_uri',
  throttled: 'Access Denied',
  // The device flow's polling answers (spec §3.5): Zoho's own word for an expired device code.
  device_code_expired: 'expired',
};

export interface ZohoErrorBody {
  error: string;
  error_description: string;
  status?: 'failure';
  /** `other_dc`'s DC (spec §3.5). */
  user_location?: string;
}

export function toZohoErrorBody(err: OAuthError): ZohoErrorBody {
  const error = zohoCodeByReason[err.reason] ?? err.code;
  // Zoho's throttle body carries `status: "failure"` (spec §6); its other_dc, `user_location` (spec §3.5).
  if (err.reason === 'throttled') return { error, error_description: err.description, status: 'failure' };
  if (err.userLocation !== undefined) return { error, error_description: err.description, user_location: err.userLocation };
  return { error, error_description: err.description };
}
