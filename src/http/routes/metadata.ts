import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DPOP_ALGORITHMS } from '@gatehouse/resource-server';
import { CODE_CHALLENGE_METHODS, PROMPTS, RESPONSE_MODES, RESPONSE_TYPES } from '../../core/authorize/authorization-parameters.js';
import { ACR_VALUES } from '../../core/oidc/acr.js';
import { ENDPOINT_PATHS } from '../../core/endpoints.js';
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

/** One DC's RFC 8414 and OpenID Connect Discovery documents. */
function discoveryDocuments({ issuer }: DataCenter, gatehouse: Gatehouse) {
  const oauth = {
    issuer,
    authorization_endpoint: issuer + ENDPOINT_PATHS.authorize,
    token_endpoint: issuer + ENDPOINT_PATHS.token,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    grant_types_supported: gatehouse.grants.grantTypes(),
    response_types_supported: RESPONSE_TYPES,
    response_modes_supported: RESPONSE_MODES,
    scopes_supported: gatehouse.scopes.names(),
    revocation_endpoint: `${issuer}/oauth/v2/token/revoke`,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint: `${issuer}/oauth/v2/introspect`,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: CODE_CHALLENGE_METHODS,
    // RFC 8628 §4: its own initiation endpoint (seconds); Zoho's /oauth/v3/device/code answers in milliseconds.
    device_authorization_endpoint: issuer + ENDPOINT_PATHS.deviceAuthorization,
    // RFC 9207: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
    // RFC 9449 §5.1: the token endpoint binds tokens to a DPoP proof's key, signed with one of these.
    dpop_signing_alg_values_supported: DPOP_ALGORITHMS,
    // RFC 7591: advertised only where GATEHOUSE_REGISTRATION mounts it.
    ...(gatehouse.config.registration === 'off' ? {} : { registration_endpoint: issuer + ENDPOINT_PATHS.register }),
  };
  const openid = {
    ...oauth,
    userinfo_endpoint: `${issuer}/oauth/v2/userinfo`,
    jwks_uri: `${issuer}/oauth/v2/keys`,
    end_session_endpoint: issuer + ENDPOINT_PATHS.endSession,
    // Back-Channel Logout 1.0; front-channel logout (iframes in the browser) is not offered: README › Security.
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
    frontchannel_logout_supported: false,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
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
