import { aboutClient, CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { ManagementError } from '../../core/errors/management-error.js';
import { parseClientType, registerClient } from '../../core/clients/register-client.js';
import { listOption, requireOption, stringOption, type Command } from '../command.js';
import { withGatehouse } from '../context.js';
import { clientView } from '../../core/clients/client-view.js';

export const clientCreateCommand: Command = {
  words: ['client', 'create'],
  summary: 'Register a client for a user; prints its ID and, once, its secret.',
  options: {
    owner: { type: 'string', description: 'Email of the owning user', required: true },
    type: { type: 'string', description: 'server | client | mobile | device | self', required: true },
    name: { type: 'string', description: 'Client name (not for self)' },
    'redirect-uri': { type: 'string', multiple: true, description: 'Authorized redirect URI, comma-separated or repeated' },
    homepage: { type: 'string', description: 'Homepage URL' },
    'js-domain': { type: 'string', multiple: true, description: 'JavaScript domain (client type), comma-separated or repeated' },
    'post-logout-redirect-uri': {
      type: 'string',
      multiple: true,
      description: 'Where RP-initiated logout may return the browser, comma-separated or repeated',
    },
    'backchannel-logout-uri': { type: 'string', description: 'Where logout tokens are POSTed (https; http only on loopback)' },
    'backchannel-logout-session-required': { type: 'boolean', description: 'The client needs sid in every logout token' },
    'require-dpop': { type: 'boolean', description: 'Every token request must carry a DPoP proof (RFC 9449 dpop_bound_access_tokens)' },
    'auth-method': {
      type: 'string',
      description: 'client_secret_basic (default) | client_secret_post | client_secret_jwt | private_key_jwt | none (client type)',
    },
    jwks: { type: 'string', description: "The client's public keys: a JWK Set as JSON (for private_key_jwt, request objects)" },
    'jwks-uri': { type: 'string', description: "Where the client's JWK Set is published (https; http only on loopback)" },
    'require-signed-request-object': { type: 'boolean', description: 'Authorization requests must be signed request objects (RFC 9101)' },
    'access-token-format': { type: 'string', description: 'opaque (default) or jwt: RFC 9068 JWT access tokens' },
    'id-token-signed-response-alg': { type: 'string', description: 'What signs its id_tokens: RS256 (default), ES256 or EdDSA' },
    'userinfo-signed-response-alg': {
      type: 'string',
      description: 'Sign its userinfo responses (application/jwt) with RS256, ES256 or EdDSA; default: plain JSON',
    },
    'require-par': {
      type: 'boolean',
      description: 'Authorization requests only through /oauth/v2/par (RFC 9126 require_pushed_authorization_requests)',
    },
  },
  async run(values, settings) {
    return withGatehouse(settings, async (gatehouse) => {
      const owner = await gatehouse.storage.users.findByEmail(requireOption(values, 'owner'));
      if (!owner) throw new ManagementError('client.owner_not_found', 'No user has this email address.', 404, 'owner');
      const { client, clientSecret } = await registerClient(
        {
          ownerZuid: owner.zuid,
          type: parseClientType(requireOption(values, 'type')),
          name: stringOption(values, 'name'),
          homepage: stringOption(values, 'homepage'),
          redirectUris: listOption(values, 'redirect-uri'),
          jsDomains: listOption(values, 'js-domain'),
          postLogoutRedirectUris: listOption(values, 'post-logout-redirect-uri'),
          backchannelLogoutUri: stringOption(values, 'backchannel-logout-uri'),
          backchannelLogoutSessionRequired: values['backchannel-logout-session-required'] === true,
          dpopBoundAccessTokens: values['require-dpop'] === true,
          tokenEndpointAuthMethod: stringOption(values, 'auth-method'),
          jwks: stringOption(values, 'jwks'),
          jwksUri: stringOption(values, 'jwks-uri'),
          requireSignedRequestObject: values['require-signed-request-object'] === true,
          accessTokenFormat: stringOption(values, 'access-token-format'),
          idTokenSignedResponseAlg: stringOption(values, 'id-token-signed-response-alg'),
          userinfoSignedResponseAlg: stringOption(values, 'userinfo-signed-response-alg'),
          requirePushedAuthorizationRequests: values['require-par'] === true,
        },
        {
          users: gatehouse.storage.users,
          clients: gatehouse.storage.clients,
          hasher: gatehouse.hasher,
          clientSecretSeal: gatehouse.clientSecretSeal,
          now: gatehouse.now,
        },
      );
      await gatehouse.audit.record(CLI_CONTEXT, aboutClient('client.created', client));
      return {
        json: { client_id: client.clientId, ...(clientSecret ? { client_secret: clientSecret } : {}), ...clientView(client) },
        text: [
          `Created ${client.type} client "${client.name}".`,
          `client_id:     ${client.clientId}`,
          clientSecret
            ? `client_secret: ${clientSecret}   (shown once; store it now)`
            : 'client_secret: none (client-based applications have no secret)',
        ].join('\n'),
      };
    });
  },
};
