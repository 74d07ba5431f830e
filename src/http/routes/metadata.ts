import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DPOP_ALGORITHMS } from '@gatehouse/resource-server';
import { CODE_CHALLENGE_METHODS, PROMPTS, RESPONSE_MODES, RESPONSE_TYPES } from '../../core/authorize/authorization-parameters.js';
import { ACR_VALUES } from '../../core/oidc/acr.js';
import { REQUEST_OBJECT_ALGORITHMS } from '../../core/authorize/request-object.js';
import { CLIENT_ASSERTION_ALGORITHMS } from '../../core/client-auth/client-assertion.js';
import { TOKEN_ENDPOINT_AUTH_METHODS } from '../../core/clients/client.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
import { SIGNING_ALGORITHMS } from '../../core/oidc/signing-algorithms.js';
import { JWKS_MAX_AGE_S } from '../../core/oidc/signing-keys.js';
import type { DataCenter } from '../../core/datacenters/data-centers.js';
import type { Gatehouse } from '../../gatehouse.js';
import { requestDataCenter } from '../data-center.js';

/**
 * Discovery documents, built from what this server actually serves: the registered grants, the scope registry, the
 * mounted endpoints. RFC 8414 for OAuth clients; OpenID Connect Discovery 1.0 adds the identity fields. Each DC's
 * accounts server is an issuer of its own (spec §10: one discovery document per DC), so each origin has its documents,
 * naming its own endpoints; they share the signing keys. `GET /oauth/serverinfo` lists the DCs (spec §9).
 */
export function metadataRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const { dataCenters } = gatehouse.config;
  const documents = new Map(dataCenters.all.map((dc) => [dc, discoveryDocuments(dc, gatehouse)]));
  const documentsFor = (request: FastifyRequest) => documents.get(requestDataCenter(request, dataCenters))!;
  const cacheable = { 'cache-control': 'public, max-age=300' };
  app.get('/.well-known/oauth-authorization-server', async (request, reply) => reply.headers(cacheable).send(documentsFor(request).oauth));
  app.get('/.well-known/openid-configuration', async (request, reply) => reply.headers(cacheable).send(documentsFor(request).openid));
  // Rotation publishes a key this long (and a node's own cache) before it signs: see PUBLISH_AHEAD_MS.
  const jwksCacheable = { 'cache-control': `public, max-age=${JWKS_MAX_AGE_S}` };
  app.get('/oauth/v2/keys', async (_request, reply) => reply.headers(jwksCacheable).send(await gatehouse.signingKeys.jwks()));
  const serverInfo = { result: 'success', locations: dataCenters.directory() };
  app.get('/oauth/serverinfo', async (_request, reply) => reply.headers(cacheable).send(serverInfo));
}

/** How clients authenticate (RFC 7591 §2): with a secret, an assertion (RFC 7523) or, public clients, not at all. */
const AUTH_METHODS: readonly string[] = TOKEN_ENDPOINT_AUTH_METHODS;

/** One DC's RFC 8414 and OpenID Connect Discovery documents. */
function discoveryDocuments({ issuer }: DataCenter, gatehouse: Gatehouse) {
  const oauth = {
    issuer,
    authorization_endpoint: issuer + ENDPOINT_PATHS.authorize,
    token_endpoint: issuer + ENDPOINT_PATHS.token,
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    // RFC 8414 §2: required with private_key_jwt or client_secret_jwt; HS256 for the latter only.
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    grant_types_supported: gatehouse.grants.grantTypes(),
    response_types_supported: RESPONSE_TYPES,
    response_modes_supported: RESPONSE_MODES,
    scopes_supported: gatehouse.scopes.names(),
    revocation_endpoint: `${issuer}/oauth/v2/token/revoke`,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    introspection_endpoint: `${issuer}/oauth/v2/introspect`,
    introspection_endpoint_auth_methods_supported: AUTH_METHODS.filter((method) => method !== 'none'),
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    code_challenge_methods_supported: CODE_CHALLENGE_METHODS,
    // RFC 8628 §4: its own initiation endpoint (seconds); Zoho's /oauth/v3/device/code answers in milliseconds.
    device_authorization_endpoint: issuer + ENDPOINT_PATHS.deviceAuthorization,
    // RFC 9207: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    // RFC 9101: signed request objects by value; by reference (request_uri) not. Clients that must sign theirs say so
    // in their own registration (require_signed_request_object), not here.
    request_parameter_supported: true,
    request_uri_parameter_supported: false,
    request_object_signing_alg_values_supported: REQUEST_OBJECT_ALGORITHMS,
    // RFC 9126 §5: always served; required of every client only when GATEHOUSE_REQUIRE_PAR says so (a client may
    // require it of itself in its settings, which RFC 7591's client metadata would say, not this document).
    pushed_authorization_request_endpoint: issuer + ENDPOINT_PATHS.pushedAuthorizationRequest,
    require_pushed_authorization_requests: gatehouse.config.requirePushedAuthorizationRequests,
    // RFC 9449 §5.1: the token endpoint binds tokens to a DPoP proof's key, signed with one of these.
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    // RFC 8414 §2 / RFC 9068 §4: the keys that sign JWT access tokens (and id_tokens), which resource servers verify
    // JWT access tokens against. RFC 8707 and RFC 9068 define no metadata of their own.
    jwks_uri: `${issuer}/oauth/v2/keys`,
    // RFC 7591: advertised only where GATEHOUSE_REGISTRATION mounts it.
    ...(gatehouse.config.registration === 'off' ? {} : { registration_endpoint: issuer + ENDPOINT_PATHS.register }),
  };
  const openid = {
    ...oauth,
    userinfo_endpoint: `${issuer}/oauth/v2/userinfo`,
    end_session_endpoint: issuer + ENDPOINT_PATHS.endSession,
    // Back-Channel Logout 1.0; front-channel logout (iframes in the browser) is not offered: README › Security.
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: false,
    subject_types_supported: ['public'],
    // RS256 by default; a client may register ES256 or EdDSA for its id_tokens and signed userinfo.
    id_token_signing_alg_values_supported: SIGNING_ALGORITHMS,
    userinfo_signing_alg_values_supported: SIGNING_ALGORITHMS,
    // OpenID Connect Prompt Create 1.0 defines this list; `create` is not in it.
    prompt_values_supported: PROMPTS,
    acr_values_supported: ACR_VALUES,
    // §5.5: read for the id_token's acr and sub; standard claims follow the granted scopes (README, Endpoints).
    claims_parameter_supported: true,
    // No ui_locales_supported: the pages are in English only, and the parameter is accepted and ignored.
    claims_supported: [
      'iss',
      'sub',
      'aud',
      'exp',
      'iat',
      'nonce',
      'at_hash',
      'amr',
      'acr',
      'auth_time',
      'sid',
      'email',
      'email_verified',
      'name',
      'given_name',
      'family_name',
      'preferred_username',
    ],
  };
  return { oauth, openid };
}
