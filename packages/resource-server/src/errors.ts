/**
 * Why a request was refused, in Zoho's words (spec §11): the CRM error envelope, Zoho's status codes, and an RFC 6750
 * `WWW-Authenticate` challenge so standard clients understand it too.
 */
export type ResourceErrorCode = 'AUTHENTICATION_FAILURE' | 'INVALID_TOKEN' | 'OAUTH_SCOPE_MISMATCH';

const MESSAGES: Record<ResourceErrorCode, string> = {
  AUTHENTICATION_FAILURE: 'Authentication failed',
  INVALID_TOKEN: 'invalid oauth token',
  OAUTH_SCOPE_MISMATCH: 'invalid oauth scope to access this URL',
};

/** The RFC 6750 §3.1 error each Zoho code stands for; none when no token was sent at all (§3.1: no error then). */
const RFC6750: Record<ResourceErrorCode, string | undefined> = {
  AUTHENTICATION_FAILURE: undefined,
  INVALID_TOKEN: 'invalid_token',
  OAUTH_SCOPE_MISMATCH: 'insufficient_scope',
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
  ) {
    super(MESSAGES[code]);
    this.name = 'ResourceError';
  }

  body(): ZohoErrorBody {
    const details = this.requiredScopes.length > 0 ? { required_scopes: [...this.requiredScopes] } : {};
    return { code: this.code, details, message: this.message, status: 'error' };
  }

  /** The `WWW-Authenticate` value, naming both schemes Zoho accepts. */
  challenge(realm: string): string {
    const error = RFC6750[this.code];
    const params = [`realm="${realm}"`];
    if (error) params.push(`error="${error}"`);
    if (this.requiredScopes.length > 0) params.push(`scope="${this.requiredScopes.join(' ')}"`);
    return `Bearer ${params.join(', ')}, Zoho-oauthtoken realm="${realm}"`;
  }
}
