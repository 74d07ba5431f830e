import type { FastifyInstance } from 'fastify';
import type { Gatehouse } from '../../gatehouse.js';

/**
 * RFC 8414 authorization server metadata, built from what this server actually serves: the registered grants, the
 * scope registry, the endpoints mounted so far.
 */
export function metadataRoutes(app: FastifyInstance, gatehouse: Gatehouse): void {
  const { issuer } = gatehouse.config;
  const document = {
    issuer,
    authorization_endpoint: `${issuer}/oauth/v2/auth`,
    token_endpoint: `${issuer}/oauth/v2/token`,
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    grant_types_supported: gatehouse.grants.grantTypes(),
    response_types_supported: ['code', 'token'],
    response_modes_supported: ['query', 'fragment'],
    scopes_supported: gatehouse.scopes.names(),
    revocation_endpoint: `${issuer}/oauth/v2/token/revoke`,
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    introspection_endpoint: `${issuer}/oauth/v2/introspect`,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    code_challenge_methods_supported: ['S256'],
    // RFC 9207: every authorization response carries `iss`.
    authorization_response_iss_parameter_supported: true,
  };
  app.get('/.well-known/oauth-authorization-server', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return document;
  });
}
