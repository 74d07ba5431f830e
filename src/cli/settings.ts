import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { LogFormat } from '../http/log-output.js';
import type { DataCenterSetting } from '../core/datacenters/data-centers.js';
import {
  MFA_POLICIES,
  REGISTRATION_MODES,
  resolveConfig,
  type ConfigInput,
  type GatehouseConfig,
  type MfaPolicy,
  type RateLimit,
  type RegistrationMode,
} from '../core/config/config.js';

/**
 * Reads Gatehouse's settings from the environment and, optionally, a JSON config file named by `GATEHOUSE_CONFIG`
 * whose keys are the same variable names. The environment wins over the file. This is the only module that reads
 * `process.env`; everything else receives the resolved settings. See docs/configuration.md.
 */
export interface Settings {
  config: GatehouseConfig;
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  secretKey: string | undefined;
  logLevel: string;
  /** JSON or readable lines; unset, readable only when the log goes to a terminal. */
  logFormat: LogFormat | undefined;
  adminEmail: string | undefined;
  /** Whose `X-Forwarded-For` to believe; see `parseTrustProxy`. */
  trustProxy: TrustProxy;
  /** How long `serve` may take to stop after SIGTERM or SIGINT before it drops what is left and exits non-zero. */
  shutdownSeconds: number;
  /** Where `serve` offers the Prometheus metrics; see `parseMetrics`. */
  metrics: MetricsSetting;
  /** A seed file `serve` applies before it listens (`gatehouse seed`'s format). */
  seedFile: string | undefined;
}

export const SETTING_KEYS = [
  'PORT',
  'HOST',
  'GATEHOUSE_ISSUER',
  'GATEHOUSE_API_DOMAIN',
  'GATEHOUSE_LOCATION',
  'GATEHOUSE_DATACENTERS',
  'GATEHOUSE_DATABASE_URL',
  'GATEHOUSE_REDIS_URL',
  'GATEHOUSE_SECRET_KEY',
  'GATEHOUSE_ERROR_STYLE',
  'GATEHOUSE_LIMIT_REFRESH_TOKENS',
  'GATEHOUSE_LIMIT_ACCESS_TOKENS',
  'GATEHOUSE_LIMIT_REFRESH_RATE',
  'GATEHOUSE_LIMIT_CODE_RATE',
  'GATEHOUSE_LOG_LEVEL',
  'GATEHOUSE_LOG_FORMAT',
  'GATEHOUSE_ADMIN_EMAIL',
  'GATEHOUSE_TRUST_PROXY',
  'GATEHOUSE_SHUTDOWN_SECONDS',
  'GATEHOUSE_METRICS',
  'GATEHOUSE_METRICS_PORT',
  'GATEHOUSE_METRICS_HOST',
  'GATEHOUSE_REQUIRE_MFA',
  'GATEHOUSE_AUDIT_RETENTION_DAYS',
  'GATEHOUSE_RESOURCES',
  'GATEHOUSE_SEED_FILE',
  'GATEHOUSE_DPOP_NONCE',
  'GATEHOUSE_REQUIRE_PAR',
  'GATEHOUSE_REGISTRATION',
] as const;
type SettingKey = (typeof SETTING_KEYS)[number];

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const file = env.GATEHOUSE_CONFIG ? readConfigFile(env.GATEHOUSE_CONFIG) : {};
  const get = (key: SettingKey): string | undefined => {
    const value = env[key] ?? file[key];
    return value === undefined || value === '' ? undefined : value;
  };
  const port = parsePort('PORT', get('PORT') ?? '8080');
  const host = get('HOST') ?? 'localhost';

  const dataCenters = parseDataCenters(get('GATEHOUSE_DATACENTERS'));
  // With several DCs the issuer is the first one's accounts server unless given (and then it must be that).
  const defaultIssuer = dataCenters?.[0]?.accounts_origin ?? `http://localhost:${port}`;
  const input: ConfigInput = { issuer: get('GATEHOUSE_ISSUER') ?? defaultIssuer, limits: {} };
  if (dataCenters) input.dataCenters = dataCenters;
  const apiDomain = get('GATEHOUSE_API_DOMAIN');
  if (apiDomain) input.apiDomain = apiDomain;
  const location = get('GATEHOUSE_LOCATION');
  if (location) input.location = location;
  const style = get('GATEHOUSE_ERROR_STYLE');
  if (style) input.errorStyle = style as GatehouseConfig['errorStyle'];
  const requireMfa = get('GATEHOUSE_REQUIRE_MFA');
  if (requireMfa) input.requireMfa = parseMfaPolicy(requireMfa);
  const limits = input.limits!;
  const refreshTokens = get('GATEHOUSE_LIMIT_REFRESH_TOKENS');
  if (refreshTokens) limits.refreshTokens = parseCount('GATEHOUSE_LIMIT_REFRESH_TOKENS', refreshTokens);
  const accessTokens = get('GATEHOUSE_LIMIT_ACCESS_TOKENS');
  if (accessTokens) limits.accessTokens = parseCount('GATEHOUSE_LIMIT_ACCESS_TOKENS', accessTokens);
  const refreshRate = get('GATEHOUSE_LIMIT_REFRESH_RATE');
  if (refreshRate) limits.refreshRate = parseRate('GATEHOUSE_LIMIT_REFRESH_RATE', refreshRate);
  const codeRate = get('GATEHOUSE_LIMIT_CODE_RATE');
  if (codeRate) limits.codeRate = parseRate('GATEHOUSE_LIMIT_CODE_RATE', codeRate);
  const resources = get('GATEHOUSE_RESOURCES');
  // Space or comma separated; URIs hold neither unencoded.
  if (resources) input.resources = resources.split(/[\s,]+/).filter((r) => r !== '');
  const auditRetention = get('GATEHOUSE_AUDIT_RETENTION_DAYS');
  if (auditRetention) input.auditRetentionDays = parseDays('GATEHOUSE_AUDIT_RETENTION_DAYS', auditRetention);
  const dpopNonce = get('GATEHOUSE_DPOP_NONCE');
  if (dpopNonce) input.dpopNonce = parseOnOff('GATEHOUSE_DPOP_NONCE', dpopNonce);
  const requirePar = get('GATEHOUSE_REQUIRE_PAR');
  if (requirePar) input.requirePushedAuthorizationRequests = parseTrueFalse('GATEHOUSE_REQUIRE_PAR', requirePar);
  const registration = get('GATEHOUSE_REGISTRATION');
  if (registration) input.registration = parseRegistrationMode(registration);

  return {
    config: resolveConfig(input),
    port,
    host,
    databaseUrl: get('GATEHOUSE_DATABASE_URL') ?? 'sqlite:./data/gatehouse.db',
    redisUrl: get('GATEHOUSE_REDIS_URL'),
    secretKey: get('GATEHOUSE_SECRET_KEY'),
    logLevel: get('GATEHOUSE_LOG_LEVEL') ?? 'info',
    logFormat: parseLogFormat(get('GATEHOUSE_LOG_FORMAT')),
    adminEmail: get('GATEHOUSE_ADMIN_EMAIL'),
    trustProxy: parseTrustProxy(get('GATEHOUSE_TRUST_PROXY')),
    shutdownSeconds: parseSeconds('GATEHOUSE_SHUTDOWN_SECONDS', get('GATEHOUSE_SHUTDOWN_SECONDS') ?? '10'),
    metrics: parseMetrics(get('GATEHOUSE_METRICS'), get('GATEHOUSE_METRICS_PORT'), get('GATEHOUSE_METRICS_HOST') ?? host),
    seedFile: get('GATEHOUSE_SEED_FILE'),
  };
}

function parseOnOff(key: string, value: string): boolean {
  if (value !== 'on' && value !== 'off') throw new Error(`${key} must be on or off, got "${value}"`);
  return value === 'on';
}

function parseTrueFalse(key: string, value: string): boolean {
  if (value !== 'true' && value !== 'false') throw new Error(`${key} must be true or false, got "${value}"`);
  return value === 'true';
}

function parsePort(key: string, value: string): number {
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || port > 65535) throw new Error(`${key} must be a port number, got "${value}"`);
  return port;
}

/**
 * The Prometheus metrics are on by default, at `GET /metrics` on the main port. `GATEHOUSE_METRICS_PORT` moves them to
 * a listener of their own (bound to `GATEHOUSE_METRICS_HOST`, by default `HOST`), and the main port no longer has
 * them. `GATEHOUSE_METRICS=off` turns them off: nothing is counted but the console's overview.
 */
export type MetricsSetting = { serve: 'off' } | { serve: 'main-port' } | { serve: 'own-port'; port: number; host: string };
function parseMetrics(enabled: string | undefined, port: string | undefined, host: string): MetricsSetting {
  if (enabled !== undefined && enabled !== 'on' && enabled !== 'off')
    throw new Error(`GATEHOUSE_METRICS must be on or off, got "${enabled}"`);
  if (enabled === 'off') return { serve: 'off' };
  return port === undefined ? { serve: 'main-port' } : { serve: 'own-port', port: parsePort('GATEHOUSE_METRICS_PORT', port), host };
}

function readConfigFile(path: string): Partial<Record<SettingKey, string>> {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path} must hold a JSON object`);
  const out: Partial<Record<SettingKey, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) throw new Error(`${path}: unknown setting ${key}`);
    // A structured value (GATEHOUSE_DATACENTERS' list) may be written as JSON itself rather than as a string of JSON.
    out[key as SettingKey] = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }
  return out;
}

/**
 * `GATEHOUSE_DATACENTERS`: a JSON list of `{"location","accounts_origin","api_domain"}`, the primary first (spec §9).
 * Only the JSON's shape is checked here; `resolveConfig` checks the values.
 */
function parseDataCenters(value: string | undefined): DataCenterSetting[] | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new Error('GATEHOUSE_DATACENTERS must be JSON: [{"location":"us","accounts_origin":"https://…","api_domain":"https://…"}, …]');
  }
  if (!Array.isArray(parsed)) throw new Error('GATEHOUSE_DATACENTERS must be a JSON list of data centres');
  return parsed as DataCenterSetting[];
}

/** `off`, `admins` or `all`. */
function parseMfaPolicy(value: string): MfaPolicy {
  if (!(MFA_POLICIES as readonly string[]).includes(value))
    throw new Error(`GATEHOUSE_REQUIRE_MFA must be ${MFA_POLICIES.join(', ')}, got "${value}"`);
  return value as MfaPolicy;
}

/** `off`, `token` or `open`. */
function parseRegistrationMode(value: string): RegistrationMode {
  if (!(REGISTRATION_MODES as readonly string[]).includes(value))
    throw new Error(`GATEHOUSE_REGISTRATION must be ${REGISTRATION_MODES.join(', ')}, got "${value}"`);
  return value as RegistrationMode;
}

/** `20`, or `off`. */
function parseCount(key: string, value: string): number | null {
  if (value === 'off') return null;
  if (!/^[1-9][0-9]*$/.test(value)) throw new Error(`${key} must be a positive whole number or off, got "${value}"`);
  return Number(value);
}

/** `90`: a positive whole number of days (no `off`: an audit log that is never pruned grows without bound). */
function parseDays(key: string, value: string): number {
  if (!/^[1-9][0-9]{0,5}$/.test(value)) throw new Error(`${key} must be a positive whole number of days, got "${value}"`);
  return Number(value);
}

/**
 * Behind a reverse proxy every request comes from the proxy's address, so the per-address sign-in limit would count
 * all users as one and lock them out together. `GATEHOUSE_TRUST_PROXY` names the proxies whose `X-Forwarded-For` is
 * believed, by address or CIDR range (`10.0.0.0/8,127.0.0.1`). Unset or `off`, the header is ignored, since anyone can
 * send it. There is no "trust everyone", and no hop count (it cannot tell a proxy from a client that sends the header).
 */
export type TrustProxy = false | string;
function parseTrustProxy(value: string | undefined): TrustProxy {
  if (value === undefined || value === 'off') return false;
  const entries = value.split(',').map((entry) => entry.trim());
  if (entries.every(isAddressOrRange)) return entries.join(',');
  throw new Error(`GATEHOUSE_TRUST_PROXY must be off, or addresses and CIDR ranges of the proxies, got "${value}"`);
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return bits === undefined || (/^[0-9]{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

function parseLogFormat(value: string | undefined): LogFormat | undefined {
  if (value === undefined || value === 'json' || value === 'pretty') return value;
  throw new Error(`GATEHOUSE_LOG_FORMAT must be json or pretty, got "${value}"`);
}

/** `10`, or `2.5`: a positive number of seconds. */
function parseSeconds(key: string, value: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || Number(value) <= 0)
    throw new Error(`${key} must be a positive number of seconds, got "${value}"`);
  return Number(value);
}

/** `10/600` (count per seconds), or `off`. */
function parseRate(key: string, value: string): RateLimit | null {
  if (value === 'off') return null;
  const match = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(value);
  if (!match) throw new Error(`${key} must be COUNT/SECONDS (e.g. 10/600) or off, got "${value}"`);
  return { count: Number(match[1]), windowSeconds: Number(match[2]) };
}
