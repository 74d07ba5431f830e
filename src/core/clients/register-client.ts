import { ManagementError } from '../errors/management-error.js';
import type { SecretSeal } from '../secret-seal.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import { newClientId, newClientSecret } from '../tokens/identifiers.js';
import { DuplicateError } from '../errors/duplicate-error.js';
import type { ClientRepository } from './client-repository.js';
import type { UserRepository } from '../users/user-repository.js';
import { CLIENT_TYPES, hasSecret, registeredAuthMethod, type Client, type ClientType } from './client.js';
import { validateClientFields, type ClientFields, type ValidClientFields } from './validate-client.js';

export interface ClientManagementDeps {
  users: UserRepository;
  clients: ClientRepository;
  hasher: CredentialHasher;
  /**
   * Seals the secret of a `client_secret_jwt` client, which needs the secret itself to check an HMAC with. Every front
   * door passes the Gatehouse's; without it such a client cannot be registered.
   */
  clientSecretSeal?: SecretSeal;
  now: () => number;
}

/**
 * A client whose method is `client_secret_jwt` keeps its secret sealed beside the hash; every other client keeps the
 * hash only. The seal's label is the client ID, so one client's sealed secret cannot be moved to another's row.
 */
function sealedSecretFor(
  clientId: string,
  method: string,
  clientSecret: string | undefined,
  seal: SecretSeal | undefined,
): Promise<string | null> {
  if (method !== 'client_secret_jwt' || clientSecret === undefined) return Promise.resolve(null);
  if (!seal) throw new Error('registering a client_secret_jwt client needs the clientSecretSeal');
  return seal.seal(clientSecret, clientId);
}

export interface RegisteredClient {
  client: Client;
  /** Shown once; only its hash is stored. Undefined for client-based apps, which have no secret. */
  clientSecret: string | undefined;
}

export function parseClientType(value: string): ClientType {
  if ((CLIENT_TYPES as readonly string[]).includes(value)) return value as ClientType;
  throw new ManagementError('client.type_invalid', `The client type must be one of ${CLIENT_TYPES.join(', ')}.`, 400, 'type');
}

/** Registers a client for an existing user (spec §1.1). A user has at most one Self Client. */
export async function registerClient(
  input: ClientFields & { ownerZuid: string; type: ClientType },
  deps: ClientManagementDeps,
): Promise<RegisteredClient> {
  const owner = await deps.users.findByZuid(input.ownerZuid);
  if (!owner) throw new ManagementError('client.owner_not_found', 'The owner is not a known user.', 404, 'owner');
  const fields = validateClientFields(input.type, input);
  const clientSecret = hasSecret(input.type) ? newClientSecret() : undefined;
  const now = deps.now();
  const clientId = newClientId();
  const client: Client = {
    clientId,
    ownerZuid: input.ownerZuid,
    type: input.type,
    ...fields,
    secretHash: clientSecret === undefined ? null : deps.hasher.hash(clientSecret),
    sealedSecret: await sealedSecretFor(clientId, fields.tokenEndpointAuthMethod, clientSecret, deps.clientSecretSeal),
    createdAt: now,
    updatedAt: now,
    // A client's home DC is where it was created: its owner's, whose console it belongs to (spec §1.2).
    ...(owner.dc ? { homeDc: owner.dc } : {}),
  };
  try {
    await deps.clients.create(client);
  } catch (err) {
    if (err instanceof DuplicateError && err.what === 'self_client') {
      throw new ManagementError('client.self_client_exists', 'This user has a Self Client already; a user has at most one.', 409, 'type');
    }
    throw err;
  }
  return { client, clientSecret };
}

/** The client with this ID, or the management error every front door reports for an unknown one. */
export async function findClient(clientId: string, clients: ClientRepository): Promise<Client> {
  const client = await clients.find(clientId);
  if (!client) throw new ManagementError('client.not_found', 'No client has this client ID.', 404, 'client_id');
  return client;
}

/**
 * Replaces a client's secret; the old one stops working at once. A `client_secret_jwt` client's sealed copy is
 * replaced with it: that is how a client that switched to `client_secret_jwt` gets one.
 */
export async function rotateClientSecret(client: Client, deps: ClientManagementDeps): Promise<RegisteredClient> {
  if (!hasSecret(client.type))
    throw new ManagementError('client.no_secret', 'A client-based application has no client secret.', 400, 'client_id');
  const clientSecret = newClientSecret();
  const secretHash = deps.hasher.hash(clientSecret);
  const sealedSecret = await sealedSecretFor(client.clientId, registeredAuthMethod(client), clientSecret, deps.clientSecretSeal);
  const now = deps.now();
  await deps.clients.updateSecretHash(client.clientId, secretHash, now, sealedSecret);
  return { client: { ...client, secretHash, sealedSecret, updatedAt: now }, clientSecret };
}

/**
 * Edits a client's registration; the same checks as registering it, for its type. Fields left out keep their value.
 * A Self Client has no registration fields, only its DPoP requirement, how it authenticates, its access token format and
 * its signing algorithms. A client that switches to `client_secret_jwt` has no sealed secret until its secret is
 * rotated; one that leaves it loses the sealed copy.
 */
export async function updateClient(client: Client, changes: ClientFields, deps: ClientManagementDeps): Promise<Client> {
  const dpopBoundAccessTokens = changes.dpopBoundAccessTokens ?? client.dpopBoundAccessTokens;
  const keys = {
    tokenEndpointAuthMethod: changes.tokenEndpointAuthMethod ?? registeredAuthMethod(client),
    jwks: changes.jwks !== undefined ? changes.jwks : (client.jwks ?? null),
    jwksUri: changes.jwksUri ?? client.jwksUri ?? undefined,
    requireSignedRequestObject: changes.requireSignedRequestObject ?? client.requireSignedRequestObject ?? false,
  };
  const accessTokenFormat = changes.accessTokenFormat ?? client.accessTokenFormat;
  let fields: ValidClientFields;
  if (client.type === 'self') {
    const {
      dpopBoundAccessTokens: _,
      tokenEndpointAuthMethod: _method,
      jwks: _jwks,
      jwksUri: _jwksUri,
      accessTokenFormat: _format,
      idTokenSignedResponseAlg: _idTokenAlg,
      userinfoSignedResponseAlg: _userinfoAlg,
      ...registration
    } = changes;
    if (Object.values(registration).some((v) => v !== undefined))
      throw new ManagementError(
        'client.field_not_allowed',
        'A Self Client has nothing to edit but its DPoP requirement, how it authenticates, its access token format and its signing algorithms.',
        400,
        'type',
      );
    const valid = validateClientFields('self', {
      dpopBoundAccessTokens,
      ...keys,
      accessTokenFormat,
      ...signingAlgorithms(client, changes),
    });
    fields = { ...valid, name: client.name, homepage: client.homepage };
  } else {
    fields = validateClientFields(client.type, {
      name: changes.name ?? client.name,
      homepage: changes.homepage ?? client.homepage ?? undefined,
      redirectUris: changes.redirectUris ?? client.redirectUris,
      jsDomains: changes.jsDomains ?? client.jsDomains,
      postLogoutRedirectUris: changes.postLogoutRedirectUris ?? client.postLogoutRedirectUris,
      backchannelLogoutUri: changes.backchannelLogoutUri ?? client.backchannelLogoutUri ?? undefined,
      backchannelLogoutSessionRequired: changes.backchannelLogoutSessionRequired ?? client.backchannelLogoutSessionRequired,
      dpopBoundAccessTokens,
      ...keys,
      accessTokenFormat,
      ...signingAlgorithms(client, changes),
      requirePushedAuthorizationRequests: changes.requirePushedAuthorizationRequests ?? client.requirePushedAuthorizationRequests,
    });
  }
  const now = deps.now();
  await deps.clients.updateFields(client.clientId, fields, now);
  const sealedSecret = fields.tokenEndpointAuthMethod === 'client_secret_jwt' ? (client.sealedSecret ?? null) : null;
  return { ...client, ...fields, sealedSecret, updatedAt: now };
}

/** The signing algorithms after `changes`: each left out keeps its value; an empty userinfo one means plain JSON again. */
function signingAlgorithms(
  client: Client,
  changes: ClientFields,
): Pick<ClientFields, 'idTokenSignedResponseAlg' | 'userinfoSignedResponseAlg'> {
  return {
    idTokenSignedResponseAlg: changes.idTokenSignedResponseAlg ?? client.idTokenSignedResponseAlg,
    userinfoSignedResponseAlg: changes.userinfoSignedResponseAlg ?? client.userinfoSignedResponseAlg ?? undefined,
  };
}
