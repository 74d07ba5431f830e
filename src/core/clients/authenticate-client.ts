import { decodeJwt } from 'jose';
import { actors, type AuditLog } from '../audit/audit-log.js';
import { JWT_BEARER_ASSERTION_TYPE, verifyClientAssertion, type ClientAssertionDeps } from '../client-auth/client-assertion.js';
import { invalidClient, invalidRequest, OAuthError } from '../errors/oauth-error.js';
import type { ParameterDefinition } from '../params/definitions.js';
import type { RequestParams } from '../params/request-params.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { ClientRepository } from './client-repository.js';
import { registeredAuthMethod, secretPolicy, type Client } from './client.js';

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

/**
 * A client's refused assertions are audited once per this many seconds, as throttled sign-ins are: one row per refusal
 * would let anyone grow the table.
 */
const ASSERTION_REFUSALS_AUDITED_EVERY_S = 60;

export type AuthMethod = 'client_secret_basic' | 'client_secret_post' | 'client_secret_jwt' | 'private_key_jwt' | 'none';

export interface ClientAuthDeps {
  clients: ClientRepository;
  hasher: CredentialHasher;
  assertions: ClientAssertionDeps;
  /** Refused client assertions are audited (once per client per minute: an attacker sends as fast as it likes). */
  audit: AuditLog;
}

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
 * or rejected when the answer is a promise. A client assertion (RFC 7523) is checked only when the request carries
 * one: a secret client pays two parameter lookups and a comparison of its registered method for the feature.
 */
export function authenticateClient(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  deps: ClientAuthDeps,
  /** The issuer of the DC called: what a client assertion must name as its `aud`. */
  issuer: string,
  /** The caller's address, for the audit of a refused client assertion. Both plain values: no object per request. */
  address: string | null,
): AuthenticatedClient | Promise<AuthenticatedClient> {
  const assertion = params.get('client_assertion');
  if (assertion !== undefined || params.get('client_assertion_type') !== undefined)
    return authenticateByAssertion(params, basic, assertion, deps, issuer, address);
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
  // A client registered for a client assertion may not fall back to a secret (RFC 7591 §2); the secret methods, basic
  // and post, are one family: Zoho's clients send either.
  const registered = registeredAuthMethod(client);
  if (registered === 'private_key_jwt' || registered === 'client_secret_jwt') {
    throw invalidClient('client_auth_method_mismatch', `This client is registered for ${registered}: send a client_assertion.`);
  }
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

/**
 * RFC 7521 §4.2 / RFC 7523 §2.2: the client proves itself with a JWT instead of a secret. `client_id` may be left out
 * (the assertion's `sub` names the client); when sent, it must name the same client. A refusal is audited, without
 * the assertion.
 */
async function authenticateByAssertion(
  params: RequestParams,
  basic: BasicCredentials | undefined,
  assertion: string | undefined,
  deps: ClientAuthDeps,
  issuer: string,
  address: string | null,
): Promise<AuthenticatedClient> {
  if (basic || params.get('client_secret') !== undefined) {
    throw invalidRequest('multiple_client_authentication', 'Send either a client assertion or a client secret, not both.');
  }
  const type = params.get('client_assertion_type');
  if (assertion === undefined || type === undefined) {
    throw invalidRequest('missing_parameter', 'client_assertion and client_assertion_type go together; one is missing.');
  }
  if (type !== JWT_BEARER_ASSERTION_TYPE) {
    throw invalidClient('client_assertion_invalid', `The client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE}.`);
  }
  const clientId = params.get('client_id') ?? assertedClientId(assertion);
  const client = deps.clients.peek(clientId) ?? (await deps.clients.find(clientId));
  if (!client) throw invalidClient('client_unknown', 'No client is registered with this client_id.');
  try {
    await verifyClientAssertion(client, assertion, issuer, deps.assertions);
  } catch (err) {
    if (err instanceof OAuthError) {
      const entry = {
        type: 'client.assertion.refused',
        clientId,
        userZuid: client.ownerZuid,
        outcome: 'failure',
        detail: err.reason,
      } as const;
      const by = { actor: actors.client(clientId), address };
      await deps.audit.recordRefusal(by, entry, `client-assertion:${clientId}`, ASSERTION_REFUSALS_AUDITED_EVERY_S);
    }
    throw err;
  }
  return { client, method: registeredAuthMethod(client) as 'private_key_jwt' | 'client_secret_jwt' };
}

/** The client an assertion says it comes from (`sub`, RFC 7523 §3), read before its signature is checked. */
function assertedClientId(assertion: string): string {
  let sub: unknown;
  try {
    sub = decodeJwt(assertion).sub;
  } catch {
    throw invalidClient('client_assertion_invalid', 'The client assertion is not a valid JWT.');
  }
  if (typeof sub !== 'string' || sub === '') throw invalidClient('client_assertion_invalid', 'The client assertion has no sub.');
  return sub;
}
