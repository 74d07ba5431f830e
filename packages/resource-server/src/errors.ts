import { DPOP_ALGORITHMS } from './dpop.js';

/**
 * Why a request was refused, in Zoho's words (spec §11): the CRM error envelope, Zoho's status codes, and an RFC 6750
 * `WWW-Authenticate` challenge so standard clients understand it too. `INVALID_DPOP_PROOF` is RFC 9449's
 * `invalid_dpop_proof`, which Zoho has no word for.
 */
export type ResourceErrorCode = 'AUTHENTICATION_FAILURE' | 'INVALID_TOKEN' | 'OAUTH_SCOPE_MISMATCH' | 'INVALID_DPOP_PROOF';

/** The scheme a request presented its token with; a refusal's error attributes go in that scheme's challenge. */
export type TokenScheme = 'Bearer' | 'DPoP';

const MESSAGES: Record<ResourceErrorCode, string> = {
  AUTHENTICATION_FAILURE: 'Authentication failed',
  INVALID_TOKEN: 'invalid oauth token',
  OAUTH_SCOPE_MISMATCH: 'invalid oauth scope to access this URL',
  INVALID_DPOP_PROOF: 'invalid DPoP proof',
};

/** The RFC 6750 §3.1 (or RFC 9449 §7.1) error each code stands for; none when no token was sent at all (§3.1). */
const RFC_ERRORS: Record<ResourceErrorCode, string | undefined> = {
  AUTHENTICATION_FAILURE: undefined,
  INVALID_TOKEN: 'invalid_token',
  OAUTH_SCOPE_MISMATCH: 'insufficient_scope',
  INVALID_DPOP_PROOF: 'invalid_dpop_proof',
};

export interface ZohoErrorBody {
  code: ResourceErrorCode;
  details: Record<string, unknown>;
  message: string;
  status: 'error';
}

export class ResourceError extends Error {
  /** Zoho answers all three with 401, scope mismatches included (spec §11); Zoho's paths follow Zoho. */
  readonly status = 401;

  constructor(
    readonly code: ResourceErrorCode,
    /** The scopes the resource needs, for OAUTH_SCOPE_MISMATCH. */
    readonly requiredScopes: readonly string[] = [],
    readonly scheme: TokenScheme = 'Bearer',
  ) {
    super(MESSAGES[code]);
    this.name = 'ResourceError';
  }

  body(): ZohoErrorBody {
    const details = this.requiredScopes.length > 0 ? { required_scopes: [...this.requiredScopes] } : {};
    return { code: this.code, details, message: this.message, status: 'error' };
  }

  /**
   * The `WWW-Authenticate` value, naming every scheme accepted: Bearer and Zoho's, and DPoP with the algorithms it
   * takes (RFC 9449 §7.1) when `dpop` is accepted. The error goes with the scheme the request used.
   */
  challenge(realm: string, dpop = false): string {
    const error = RFC_ERRORS[this.code];
    const params = [`realm="${realm}"`];
    if (error) params.push(`error="${error}"`);
    if (this.requiredScopes.length > 0) params.push(`scope="${this.requiredScopes.join(' ')}"`);
    const plain = `realm="${realm}"`;
    const bearer = `Bearer ${this.scheme === 'Bearer' ? params.join(', ') : plain}, Zoho-oauthtoken ${plain}`;
    if (!dpop) return bearer;
    return `${bearer}, DPoP ${this.scheme === 'DPoP' ? params.join(', ') : plain}, algs="${DPOP_ALGORITHMS.join(' ')}"`;
  }
}
