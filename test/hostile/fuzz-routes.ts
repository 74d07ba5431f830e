import { randomBytes } from 'node:crypto';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { resolveConfig } from '../../src/core/config/config.js';
import { createGatehouse } from '../../src/gatehouse.js';
import { GatehouseMetrics } from '../../src/http/metrics/gatehouse-metrics.js';
import { buildHttpServer } from '../../src/http/server.js';
import { openStorage } from '../../src/storage/open-storage.js';

/**
 * The methods Fastify's `app.all` registers: the POST-only OAuth endpoints (token, revocation, introspection, device)
 * take every method, to answer all but POST with a 405 and `Allow: POST`.
 */
export const ANY_METHOD = ['GET', 'HEAD', 'TRACE', 'DELETE', 'OPTIONS', 'PATCH', 'PUT', 'POST', 'QUERY'] as const;
const READ = ['GET', 'HEAD'] as const;
const PAGE = ['GET', 'HEAD', 'POST'] as const;
const RECORDS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;

/** One public route and the parameter (or JSON field) names it reads; the fuzzer adds names of its own. */
export interface FuzzRoute {
  /** As Fastify registers it, `:name` for a path parameter. */
  path: string;
  methods: readonly string[];
  params: readonly string[];
}

const CLIENT_CREDENTIALS = ['client_id', 'client_secret', 'client_assertion_type', 'client_assertion'];
const CLIENT_FORM = [
  'csrf',
  'name',
  'homepage',
  'redirect_uris',
  'js_domains',
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
  'id_token_signed_response_alg',
  'userinfo_signed_response_alg',
  'dpop_bound_access_tokens',
  'access_token_format',
  'require_pushed_authorization_requests',
  'token_endpoint_auth_method',
  'jwks',
  'jwks_uri',
  'require_signed_request_object',
];
/** What /api/v1/clients takes when a client is created, and PATCH when it is changed. */
const API_CLIENT_FIELDS = [
  'name',
  'homepage',
  'redirect_uris',
  'js_domains',
  'dpop_bound_access_tokens',
  'id_token_signed_response_alg',
  'userinfo_signed_response_alg',
  'access_token_format',
  'require_pushed_authorization_requests',
  'token_endpoint_auth_method',
  'jwks',
  'jwks_uri',
  'require_signed_request_object',
];
const LOGOUT_ANSWER = ['client_id', 'post_logout_redirect_uri', 'state'];
const RECORD_PARAMS = ['fields', 'page', 'per_page', 'sort_by', 'sort_order', 'ids', 'data', 'id', 'page_token'];
const SEARCH_PARAMS = ['criteria', 'email', 'phone', 'word', 'fields', 'page', 'per_page'];
const UPSERT_PARAMS = ['data', 'duplicate_check_fields'];
/** What an authorization request carries, in the URL or pushed (RFC 9126). */
const AUTHORIZATION_PARAMS = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'access_type',
  'prompt',
  'state',
  'code_challenge',
  'code_challenge_method',
  'response_mode',
  'nonce',
  'max_age',
  'acr_values',
  'claims',
  'login_hint',
  'id_token_hint',
  'ui_locales',
  'resource',
];
const DEVICE_START = [...CLIENT_CREDENTIALS, 'grant_type', 'scope', 'access_type'];
const REGISTRATION_METADATA = [
  'client_name',
  'client_uri',
  'redirect_uris',
  'post_logout_redirect_uris',
  'backchannel_logout_uri',
  'backchannel_logout_session_required',
  'dpop_bound_access_tokens',
  'grant_types',
  'response_types',
  'application_type',
  'token_endpoint_auth_method',
  'scope',
];

/** What the fuzzed server runs with: every optional endpoint mounted, so each is fuzzed. */
export const FUZZ_CONFIG = { registration: 'open' } as const;

/**
 * Every public route of the server (src/http/server.ts and what it mounts). `every registered route is fuzzed` checks
 * this table against the routes the built server reports, both ways, so a route added without an entry here fails.
 */
export const FUZZ_ROUTES: readonly FuzzRoute[] = [
  // OAuth endpoints (src/http/routes)
  {
    path: '/oauth/v2/token',
    methods: ANY_METHOD,
    params: [
      'grant_type',
      ...CLIENT_CREDENTIALS,
      'code',
      'redirect_uri',
      'code_verifier',
      'refresh_token',
      'scope',
      'soid',
      'device_code',
      'resource',
    ],
  },
  { path: '/oauth/v2/token/scopeenhance', methods: ANY_METHOD, params: ['grant_type', ...CLIENT_CREDENTIALS, 'refresh_token'] },
  { path: '/oauth/v2/token/revoke', methods: ANY_METHOD, params: ['token', 'token_type_hint', ...CLIENT_CREDENTIALS] },
  { path: '/oauth/v2/revoke/token', methods: ANY_METHOD, params: ['token', 'token_type', 'token_type_hint', ...CLIENT_CREDENTIALS] },
  { path: '/oauth/v2/introspect', methods: ANY_METHOD, params: ['token', 'token_type_hint', ...CLIENT_CREDENTIALS] },
  { path: '/oauth/user/info', methods: READ, params: [] },
  { path: '/oauth/v2/userinfo', methods: PAGE, params: ['access_token'] },
  { path: '/.well-known/oauth-authorization-server', methods: READ, params: [] },
  { path: '/.well-known/openid-configuration', methods: READ, params: [] },
  { path: '/oauth/serverinfo', methods: READ, params: [] },
  { path: '/.well-known/zest/authentication-schema.xml', methods: READ, params: [] },
  { path: '/oauth/v2/keys', methods: READ, params: [] },
  { path: '/oauth/v2/par', methods: ANY_METHOD, params: [...AUTHORIZATION_PARAMS, 'client_secret', 'request_uri', 'request'] },
  { path: '/oauth/v3/device/code', methods: ANY_METHOD, params: DEVICE_START },
  { path: '/oauth/device_authorization', methods: ANY_METHOD, params: DEVICE_START },
  { path: '/oauth/v3/device/token', methods: ANY_METHOD, params: [...CLIENT_CREDENTIALS, 'grant_type', 'code'] },
  // Dynamic client registration (FUZZ_CONFIG turns it on): JSON client metadata, and RFC 7592 management.
  { path: '/oauth/v2/register', methods: ['POST'], params: REGISTRATION_METADATA },
  {
    path: '/oauth/v2/register/:clientId',
    methods: ['GET', 'HEAD', 'PUT', 'DELETE'],
    params: ['client_id', 'client_secret', ...REGISTRATION_METADATA],
  },
  // Pages
  { path: '/oauth/v2/auth', methods: PAGE, params: [...AUTHORIZATION_PARAMS, 'request_uri', 'request', 'sign_in_demand'] },
  { path: '/oauth/v2/auth/consent', methods: ['POST'], params: ['csrf', 'interaction', 'decision'] },
  { path: '/oauth/v2/org/auth', methods: READ, params: [...AUTHORIZATION_PARAMS, 'request_uri', 'request', 'sign_in_demand'] },
  { path: '/oauth/v2/org/auth/consent', methods: ['POST'], params: ['csrf', 'interaction', 'decision', 'org'] },
  ...['/oauth/v2/auth/refresh', '/oauth/v2/refresh'].map((path): FuzzRoute => ({
    path,
    methods: READ,
    params: ['client_id', 'response_type', 'redirect_uri', 'scope', 'state', 'prompt'],
  })),
  {
    path: '/oauth/v2/token/addextrascope',
    methods: READ,
    params: ['response_type', 'client_id', 'redirect_uri', 'scope', 'enhance_token', 'state', 'logout'],
  },
  { path: '/oauth/v2/token/addextrascope/consent', methods: ['POST'], params: ['csrf', 'interaction', 'decision'] },
  { path: '/signin', methods: PAGE, params: ['return_to', 'prompt', 'csrf', 'email', 'password'] },
  { path: '/signin/verify', methods: PAGE, params: ['return_to', 'csrf', 'method', 'code', 'passkey_response'] },
  { path: '/signin/verify/passkey/options', methods: ['POST'], params: ['csrf'] },
  { path: '/signin/passkey/options', methods: ['POST'], params: ['csrf'] },
  { path: '/signin/passkey', methods: ['POST'], params: ['return_to', 'csrf', 'passkey_response'] },
  { path: '/signout', methods: ['POST'], params: ['csrf'] },
  { path: '/oauth/v2/logout', methods: PAGE, params: ['id_token_hint', 'logout_hint', 'ui_locales', ...LOGOUT_ANSWER] },
  { path: '/oauth/v2/logout/confirm', methods: ['POST'], params: ['csrf', ...LOGOUT_ANSWER] },
  { path: '/', methods: READ, params: [] },
  { path: '/account/connected-apps', methods: READ, params: ['revoked'] },
  { path: '/account/connected-apps/revoke', methods: ['POST'], params: ['csrf', 'client_id'] },
  { path: '/account/connected-apps/revoke-org', methods: ['POST'], params: ['csrf', 'client_id', 'org_id'] },
  { path: '/account/security', methods: READ, params: ['done', 'return_to'] },
  { path: '/account/security/totp', methods: PAGE, params: ['return_to', 'csrf', 'enrollment', 'code'] },
  { path: '/account/security/totp/remove', methods: ['POST'], params: ['csrf', 'current_password', 'current_code', 'passkey_response'] },
  {
    path: '/account/security/recovery-codes/remove',
    methods: ['POST'],
    params: ['csrf', 'current_password', 'current_code', 'passkey_response'],
  },
  {
    path: '/account/security/passkeys/remove',
    methods: ['POST'],
    params: ['csrf', 'credential_id', 'current_password', 'current_code', 'passkey_response'],
  },
  { path: '/account/security/passkeys', methods: ['POST'], params: ['csrf', 'name', 'return_to', 'passkey_response'] },
  { path: '/account/security/passkeys/options', methods: ['POST'], params: ['csrf'] },
  { path: '/account/security/confirm/options', methods: ['POST'], params: ['csrf'] },
  { path: '/account/security/recovery-codes', methods: ['POST'], params: ['csrf', 'current_password'] },
  { path: '/account/password', methods: PAGE, params: ['return_to', 'csrf', 'current_password', 'new_password', 'confirm_password'] },
  { path: '/oauth/v3/device', methods: PAGE, params: ['user_code', 'csrf'] },
  { path: '/oauth/v3/device/consent', methods: ['POST'], params: ['csrf', 'user_code', 'decision'] },
  // Developer console pages
  { path: '/developer-console', methods: READ, params: ['deleted'] },
  { path: '/developer-console/new', methods: READ, params: [] },
  { path: '/developer-console/new/:type', methods: PAGE, params: CLIENT_FORM },
  { path: '/developer-console/clients/:clientId', methods: PAGE, params: ['saved', ...CLIENT_FORM] },
  { path: '/developer-console/clients/:clientId/delete', methods: ['POST'], params: ['csrf', 'confirmed'] },
  { path: '/developer-console/clients/:clientId/secret', methods: PAGE, params: ['csrf', 'confirmed'] },
  { path: '/developer-console/clients/:clientId/generate-code', methods: PAGE, params: ['csrf', 'scope', 'duration', 'description'] },
  { path: '/developer-console/clients/:clientId/settings', methods: PAGE, params: ['csrf', 'dc_us'] },
  { path: '/developer-console/clients/:clientId/grants', methods: READ, params: ['revoked'] },
  { path: '/developer-console/clients/:clientId/grants/revoke', methods: ['POST'], params: ['csrf', 'zuid', 'confirmed'] },
  { path: '/developer-console/admin/clients', methods: READ, params: [] },
  { path: '/developer-console/admin/clients/unowned', methods: READ, params: [] },
  { path: '/developer-console/admin/users', methods: READ, params: [] },
  { path: '/developer-console/admin/overview', methods: READ, params: [] },
  { path: '/developer-console/admin/orgs', methods: READ, params: [] },
  { path: '/developer-console/admin/users/new', methods: PAGE, params: ['email', 'first_name', 'last_name', 'password', 'is_admin'] },
  { path: '/developer-console/admin/users/:zuid', methods: READ, params: ['done'] },
  { path: '/developer-console/admin/users/:zuid/disable', methods: ['POST'], params: ['confirmed'] },
  { path: '/developer-console/admin/users/:zuid/enable', methods: ['POST'], params: [] },
  { path: '/developer-console/admin/users/:zuid/admin', methods: ['POST'], params: ['admin', 'confirmed'] },
  { path: '/developer-console/admin/users/:zuid/reset-password', methods: ['POST'], params: ['confirmed'] },
  { path: '/developer-console/admin/users/:zuid/mfa-reset', methods: ['POST'], params: ['confirmed'] },
  { path: '/developer-console/admin/audit', methods: READ, params: ['type', 'user', 'client', 'since', 'until', 'cursor'] },
  // Sample APIs (src/resources)
  { path: '/crm/v8/users', methods: READ, params: [] },
  { path: '/crm/v8/org', methods: READ, params: [] },
  { path: '/crm/v8/settings/fields', methods: READ, params: ['module'] },
  { path: '/crm/v8/settings/modules', methods: READ, params: [] },
  { path: '/crm/v8/:module', methods: RECORDS, params: RECORD_PARAMS },
  { path: '/crm/v8/:module/:id', methods: RECORDS, params: RECORD_PARAMS },
  { path: '/crm/v8/:module/search', methods: RECORDS, params: SEARCH_PARAMS },
  { path: '/crm/v8/:module/upsert', methods: RECORDS, params: UPSERT_PARAMS },
  { path: '/fsm/v1/:module', methods: RECORDS, params: RECORD_PARAMS },
  { path: '/fsm/v1/:module/:id', methods: RECORDS, params: RECORD_PARAMS },
  { path: '/fsm/v1/:module/search', methods: RECORDS, params: SEARCH_PARAMS },
  { path: '/fsm/v1/:module/upsert', methods: RECORDS, params: UPSERT_PARAMS },
  // Management API (src/http/api/management-api.ts)
  {
    path: '/api/v1/clients',
    methods: PAGE,
    params: ['all', 'type', ...API_CLIENT_FIELDS],
  },
  { path: '/api/v1/users', methods: PAGE, params: ['email', 'first_name', 'last_name', 'password', 'is_admin'] },
  { path: '/api/v1/users/:zuid', methods: ['GET', 'HEAD', 'PATCH'], params: ['is_admin'] },
  { path: '/api/v1/users/:zuid/disable', methods: ['POST'], params: [] },
  { path: '/api/v1/users/:zuid/enable', methods: ['POST'], params: [] },
  { path: '/api/v1/users/:zuid/reset-password', methods: ['POST'], params: [] },
  { path: '/api/v1/users/:zuid/mfa', methods: READ, params: [] },
  { path: '/api/v1/users/:zuid/mfa/reset', methods: ['POST'], params: [] },
  { path: '/api/v1/audit-events', methods: READ, params: ['type', 'user', 'client', 'since', 'until', 'limit', 'cursor'] },
  {
    path: '/api/v1/clients/:clientId',
    methods: ['GET', 'HEAD', 'PATCH', 'DELETE'],
    params: API_CLIENT_FIELDS,
  },
  { path: '/api/v1/clients/:clientId/grants', methods: READ, params: [] },
  { path: '/api/v1/clients/:clientId/grants/:zuid', methods: ['DELETE'], params: [] },
  { path: '/api/v1/clients/:clientId/secret', methods: ['POST'], params: [] },
  { path: '/api/v1/clients/:clientId/codes', methods: ['POST'], params: ['scope', 'duration', 'description'] },
  { path: '/api/v1/clients/:clientId/data-centers', methods: ['PUT'], params: ['other_dcs'] },
  // Static
  { path: '/assets/gatehouse.css', methods: READ, params: [] },
  { path: '/assets/console.js', methods: READ, params: [] },
  { path: '/assets/webauthn.js', methods: READ, params: [] },
  { path: '/assets/passkeys.js', methods: READ, params: [] },
  { path: '/healthz', methods: READ, params: [] },
  { path: '/readyz', methods: READ, params: [] },
  { path: '/metrics', methods: READ, params: [] },
];

/**
 * The routes a built server registers, as `METHOD path` lines, from Fastify's own `printRoutes` (the tree of full path
 * segments, `commonPrefix: false`). An `onRoute` hook added after `buildHttpServer` returns would miss the routes it
 * registers at the top level (assets, /healthz), so the tree is read instead, and each route read from it is confirmed
 * with `hasRoute`.
 */
export async function registeredRoutes(): Promise<string[]> {
  const storage = openStorage('sqlite::memory:');
  await storage.migrate();
  const metrics = new GatehouseMetrics();
  const gatehouse = createGatehouse({
    config: resolveConfig({ issuer: 'http://gatehouse.test', ...FUZZ_CONFIG }),
    storage,
    hashKey: randomBytes(32),
    events: metrics,
  });
  // With the metrics, as `serve` runs by default: /metrics is one of the routes.
  const app = buildHttpServer(gatehouse, storage.records, { metrics });
  try {
    await app.ready();
    return parseRouteTree(app);
  } finally {
    await app.close();
    await gatehouse.rateLimiter.close();
    await storage.close();
  }
}

function parseRouteTree(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    if (line.trim() === '') continue;
    const match = /^((?:[│ ] {3})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) throw new Error(`Unexpected line in printRoutes: ${JSON.stringify(line)}`);
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const path = depth === 0 ? match[2]! : parent === '/' ? `/${match[2]}` : `${parent}${match[2]}`;
    stack.push(path);
    for (const method of match[3]?.split(', ') ?? []) {
      if (!app.hasRoute({ url: path, method: method as HTTPMethods })) throw new Error(`Misread the route tree: ${method} ${path}`);
      routes.push(`${method} ${path}`);
    }
  }
  return routes.sort();
}
