import { invalidClient, invalidRequest } from '../errors/oauth-error.js';
import type { ParameterDefinition } from '../params/definitions.js';
import type { RequestParams } from '../params/request-params.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { ClientRepository } from './client-repository.js';
import { secretPolicy, type Client } from './client.js';

/** Credentials from an `Authorization: Basic` header, already form-decoded (RFC 6749 §2.3.1). */
export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/** How a client sends its credentials as parameters; `client_secret_basic` carries the same two in a header instead. */
export const CLIENT_AUTH_PARAMETERS: readonly ParameterDefinition[] = [
  { name: 'client_id', required: true, description: 'The client ID (or in an Authorization: Basic header with the secret).' },
  {
    name: 'client_secret',
    required: false,
    description: 'The client secret. Public clients (client-based applications, mobile applications using PKCE) send none.',
  },
];

export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface AuthenticatedClient {
  client: Client;
  /** How the client proved itself; `none` for a public client, which proved nothing. */
  method: AuthMethod;
}

/**
 * Client authentication at the token, revocation and introspection endpoints (RFC 6749 §2.3). A client uses one
 * method per request (§2.3: "MUST NOT use more than one authentication method in each request").
 *
 * Answers at once, not as a promise, when the store holds the client in memory (`ClientRepository.peek`): every token
 * request authenticates its client, and the promise machinery was a measurable share of that. A refusal is thrown,
 * or rejected when the answer is a promise.
 */
export function authenticateClient(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  deps: { clients: ClientRepository; hasher: CredentialHasher },
): AuthenticatedClient | Promise<AuthenticatedClient> {
  const postedId = params.get('client_id');
  const postedSecret = params.get('client_secret');
  if (basic && postedSecret !== undefined) {
    throw invalidRequest(
      'multiple_client_authentication',
      'Send the client secret either in the Authorization header or in the body, not both.',
    );
  }
  if (basic && postedId !== undefined && postedId !== basic.clientId) {
    throw invalidRequest('multiple_client_authentication', 'The client_id parameter does not match the Authorization header.');
  }
  const clientId = basic?.clientId ?? postedId;
  const secret = basic?.clientSecret ?? postedSecret;
  if (clientId === undefined) throw invalidClient('client_unknown', 'The client_id parameter is required.');

  const method = basic ? 'client_secret_basic' : 'client_secret_post';
  const remembered = deps.clients.peek(clientId);
  if (remembered !== undefined) return checkCredentials(remembered, secret, method, deps.hasher);
  return deps.clients.find(clientId).then((client) => checkCredentials(client, secret, method, deps.hasher));
}

function checkCredentials(
  client: Client | undefined,
  secret: string | undefined,
  method: Exclude<AuthMethod, 'none'>,
  hasher: CredentialHasher,
): AuthenticatedClient {
  if (!client) throw invalidClient('client_unknown', 'No client is registered with this client_id.');
  const policy = secretPolicy(client.type);
  if (secret === undefined) {
    if (policy === 'required') throw invalidClient('client_secret_missing', 'This client must authenticate with its client_secret.');
    return { client, method: 'none' };
  }
  if (client.secretHash === null || !hasher.matchesSecret(secret, client.secretHash)) {
    throw invalidClient('client_secret_mismatch', 'The client_secret is not valid for this client.');
  }
  return { client, method };
}
