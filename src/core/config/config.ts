import { checkDataCenters, DataCenters, isDataCenterLocation, type DataCenterSetting } from '../datacenters/data-centers.js';

/**
 * Gatehouse's configuration: one typed object, validated once at start-up, passed explicitly to whatever needs it.
 * Library code never reads `process.env`; `cli/settings.ts` turns the environment and config file into this object.
 */
export interface RateLimit {
  count: number;
  windowSeconds: number;
}

export type ErrorStyle = 'rfc' | 'zoho';

/** Who must have a second factor to sign in: nobody (the default), administrators, or everyone. */
export type MfaPolicy = 'off' | 'admins' | 'all';
export const MFA_POLICIES: readonly MfaPolicy[] = ['off', 'admins', 'all'];

/** Who may register clients dynamically (RFC 7591): nobody (no endpoint), holders of an initial access token, anyone. */
export type RegistrationMode = 'off' | 'token' | 'open';
export const REGISTRATION_MODES: readonly RegistrationMode[] = ['off', 'token', 'open'];

export interface GatehouseConfig {
  /** This server's public base URL, e.g. `https://accounts.example.com`; no trailing slash. */
  issuer: string;
  /** The `api_domain` of token responses: this deployment's API base URL (spec decision 6). */
  apiDomain: string;
  /** The primary data centre's name, sent as `location` (spec §2.2). */
  location: string;
  /**
   * The data centres this deployment serves (spec §9), the primary first. Without `GATEHOUSE_DATACENTERS`, one: the
   * issuer, `location` and `apiDomain` above.
   */
  dataCenters: DataCenters;
  /** RFC 6749 errors (default) or Zoho's HTTP-200 style (spec decision 1). */
  errorStyle: ErrorStyle;
  ttl: {
    /** Web-flow authorization codes, seconds (spec decision 2: 120). */
    code: number;
    /** Access tokens, seconds (3600). */
    accessToken: number;
  };
  /** Zoho's token limits (spec §6, decision 3); `null` switches one off. */
  limits: {
    /** Live refresh tokens per (user, client); the next one evicts the oldest. */
    refreshTokens: number | null;
    /** Live access tokens per refresh token; the next one evicts the oldest. */
    accessTokens: number | null;
    /** Access-token requests per refresh token per window. */
    refreshRate: RateLimit | null;
    /** Authorization codes per client per window. */
    codeRate: RateLimit | null;
  };
  /** Longest accepted value of any one request parameter, in characters. */
  maxParameterLength: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  /** Users this covers and who have no second factor are sent to add one right after the password. */
  requireMfa: MfaPolicy;
  /** Days an audit event is kept before the scheduled purge deletes it. */
  auditRetentionDays: number;
  /** Whether DPoP proofs at the token endpoint must carry a server nonce (RFC 9449 §8); on by default. */
  dpopNonce: boolean;
  /**
   * RFC 8707 resource indicators a client may name besides every data centre's `apiDomain` (the sample APIs):
   * absolute URIs without a fragment. A token asked for with `resource` is restricted to those audiences.
   */
  resources: readonly string[];
  /**
   * RFC 9126 §5 `require_pushed_authorization_requests` for every client: the authorization endpoint takes requests
   * only as a request_uri from the pushed authorization request endpoint. Off by default; a client may ask for it alone.
   */
  requirePushedAuthorizationRequests: boolean;
  /** Dynamic client registration (RFC 7591/7592) at /oauth/v2/register; off by default. */
  registration: RegistrationMode;
}

export const DEFAULT_CONFIG: Omit<GatehouseConfig, 'issuer' | 'apiDomain' | 'dataCenters'> = {
  location: 'us',
  errorStyle: 'rfc',
  ttl: { code: 120, accessToken: 3600 },
  limits: {
    refreshTokens: 20,
    accessTokens: 15,
    refreshRate: { count: 10, windowSeconds: 600 },
    codeRate: { count: 10, windowSeconds: 600 },
  },
  maxParameterLength: 4096,
  bodyLimit: 64 * 1024,
  requireMfa: 'off',
  auditRetentionDays: 90,
  dpopNonce: true,
  resources: [],
  requirePushedAuthorizationRequests: false,
  registration: 'off',
};

/** Self Client code lifetimes the console offers, in minutes (spec decision 2). */
export const SELF_CLIENT_CODE_MINUTES = [3, 4, 5, 6, 7, 8, 9, 10] as const;
export const DEFAULT_SELF_CLIENT_CODE_MINUTES = 3;

export interface ConfigInput extends Partial<Omit<GatehouseConfig, 'ttl' | 'limits' | 'dataCenters'>> {
  issuer: string;
  /** Several data centres; then `location` and `apiDomain` come from the first, and the issuer is its accounts origin. */
  dataCenters?: DataCenterSetting[];
  ttl?: Partial<GatehouseConfig['ttl']>;
  limits?: Partial<GatehouseConfig['limits']>;
}

/** Fills in defaults and checks every value; throws one error listing every problem. */
export function resolveConfig(input: ConfigInput): GatehouseConfig {
  const issuer = input.issuer.replace(/\/+$/, '');
  const problems: string[] = [];
  const { dataCenters: dcSettings, ...rest } = input;
  const listed = dcSettings === undefined ? undefined : checkDataCenters(dcSettings, problems);
  const primary = listed?.[0];
  const config: Omit<GatehouseConfig, 'dataCenters'> = {
    ...DEFAULT_CONFIG,
    ...rest,
    issuer,
    apiDomain: (primary?.apiDomain ?? input.apiDomain ?? originOrSelf(issuer)).replace(/\/+$/, ''),
    location: primary?.location ?? input.location ?? DEFAULT_CONFIG.location,
    ttl: { ...DEFAULT_CONFIG.ttl, ...input.ttl },
    limits: { ...DEFAULT_CONFIG.limits, ...input.limits },
  };
  if (listed !== undefined) {
    if (input.location !== undefined || input.apiDomain !== undefined) {
      problems.push('location and apiDomain are set per data centre when dataCenters is given; remove them');
    }
    if (primary && isHttpUrl(issuer) && issuer !== primary.accountsOrigin) {
      problems.push(`issuer must be the first data centre's accounts_origin (${primary.accountsOrigin}), got "${issuer}"`);
    }
  }
  for (const [name, value] of [
    ['issuer', config.issuer],
    ['apiDomain', config.apiDomain],
  ] as const) {
    if (!isHttpUrl(value)) problems.push(`${name} must be an http(s) URL, got "${value}"`);
  }
  if (isHttpUrl(config.issuer) && (new URL(config.issuer).search || new URL(config.issuer).hash)) {
    problems.push('issuer must not have a query or fragment (RFC 8414 §2)');
  }
  if (!isDataCenterLocation(config.location)) problems.push(`location must be a short lower-case DC name, got "${config.location}"`);
  if (config.errorStyle !== 'rfc' && config.errorStyle !== 'zoho') problems.push(`errorStyle must be rfc or zoho`);
  for (const [name, value] of Object.entries(config.ttl))
    if (!isPositiveInt(value)) problems.push(`ttl.${name} must be a positive integer`);
  for (const name of ['refreshTokens', 'accessTokens'] as const) {
    const value = config.limits[name];
    if (value !== null && !isPositiveInt(value)) problems.push(`limits.${name} must be a positive integer or off`);
  }
  for (const name of ['refreshRate', 'codeRate'] as const) {
    const value = config.limits[name];
    if (value !== null && !(isPositiveInt(value.count) && isPositiveInt(value.windowSeconds))) {
      problems.push(`limits.${name} must be COUNT/SECONDS with positive integers, or off`);
    }
  }
  if (!isPositiveInt(config.maxParameterLength)) problems.push('maxParameterLength must be a positive integer');
  if (!isPositiveInt(config.bodyLimit)) problems.push('bodyLimit must be a positive integer');
  if (!MFA_POLICIES.includes(config.requireMfa)) problems.push(`requireMfa must be one of ${MFA_POLICIES.join(', ')}`);
  if (!isPositiveInt(config.auditRetentionDays)) problems.push('auditRetentionDays must be a positive integer');
  if (typeof config.dpopNonce !== 'boolean') problems.push('dpopNonce must be true or false');
  for (const resource of config.resources) {
    if (!isResourceIndicator(resource))
      problems.push(`resources must be absolute URIs without a fragment (RFC 8707 §2), got "${resource}"`);
  }
  if (typeof config.requirePushedAuthorizationRequests !== 'boolean')
    problems.push('requirePushedAuthorizationRequests must be true or false');
  if (!REGISTRATION_MODES.includes(config.registration))
    problems.push(`registration must be one of ${REGISTRATION_MODES.join(', ')}, got "${String(config.registration)}"`);
  if (problems.length > 0) throw new Error(`Invalid configuration:\n- ${problems.join('\n- ')}`);
  const implicit = { location: config.location, issuer, accountsOrigin: new URL(issuer).origin, apiDomain: config.apiDomain };
  return { ...config, dataCenters: new DataCenters(listed ?? [implicit]) };
}

/** The URL's origin, or the value itself when it is no URL (the check below then names it). */
function originOrSelf(value: string): string {
  try {
    return new URL(value).origin;
  } catch {
    return value;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** RFC 8707 §2: "an absolute URI … MUST NOT include a fragment component". */
export function isResourceIndicator(value: string): boolean {
  return URL.canParse(value) && !value.includes('#');
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}
