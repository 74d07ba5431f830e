import { randomBytes } from 'node:crypto';
import { actors, type AuditContext, type AuditEntry, type AuditLog } from '../audit/audit-log.js';
import { hasSecret, type Client } from '../clients/client.js';
import type { ClientRepository } from '../clients/client-repository.js';
import { validateClientFields, type ValidClientFields } from '../clients/validate-client.js';
import { FieldErrors, ManagementError } from '../errors/management-error.js';
import { invalidClientMetadata, invalidRedirectUri, invalidToken, throttled, type OAuthError } from '../errors/oauth-error.js';
import type { RateLimit, RegistrationMode } from '../config/config.js';
import { addressBucket } from '../limits/address-bucket.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { ScopeRegistry } from '../scopes/registry.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import { newClientId, newClientSecret } from '../tokens/identifiers.js';
import type { UserRepository } from '../users/user-repository.js';
import { readMetadata, showMetadata, type ReadMetadata } from './client-metadata.js';
import { checkInitialAccessToken, useInitialAccessToken } from './initial-access-tokens.js';
import type { ClientRegistration, ClientRegistrationRepository, InitialAccessTokenRepository } from './registration-repository.js';

/**
 * Open registrations per client address (IPv4 address or IPv6 /64) per window: enough for a developer trying things,
 * too few to fill the clients table.
 */
export const OPEN_REGISTRATION_LIMIT: RateLimit = { count: 10, windowSeconds: 3600 };

export interface RegistrationDeps {
  users: UserRepository;
  clients: ClientRepository;
  registrations: ClientRegistrationRepository;
  initialAccessTokens: InitialAccessTokenRepository;
  hasher: CredentialHasher;
  scopes: ScopeRegistry;
  rateLimiter: RateLimiter;
  audit: AuditLog;
  now: () => number;
  mode: Exclude<RegistrationMode, 'off'>;
}

/** RFC 7591 §3.2.1's answer: the metadata as registered and the credentials, each shown once. */
export interface RegistrationAnswer {
  client: Client;
  clientSecret: string | undefined;
  registrationAccessToken: string;
  metadata: Record<string, unknown>;
}

/** What the caller presented: the `Authorization: Bearer` token, if any, and its address. */
export interface Caller {
  bearer: string | undefined;
  address: string;
}

/**
 * RFC 7591 §3: registers a client from its metadata. In `token` mode the request must carry an unused, unexpired
 * initial access token, used up only once the metadata passed (a refused registration can be corrected and retried);
 * in `open` mode each address reserves its slot first, so parallel requests cannot outrun the limit.
 */
export async function registerDynamically(body: unknown, caller: Caller, deps: RegistrationDeps): Promise<RegistrationAnswer> {
  const initial = deps.mode === 'token' ? await checkInitialAccessToken(caller.bearer, deps) : undefined;
  if (deps.mode === 'open') await reserveOpenRegistration(caller.address, deps.rateLimiter);
  const read = readMetadata(body, deps.scopes);
  const fields = validated(read);
  const owner = initial?.ownerZuid ? await deps.users.findByZuid(initial.ownerZuid) : undefined;
  if (initial) await useInitialAccessToken(initial, deps);
  const clientSecret = hasSecret(read.type) ? newClientSecret() : undefined;
  const registrationAccessToken = newRegistrationAccessToken();
  const now = deps.now();
  const client: Client = {
    clientId: newClientId(),
    ownerZuid: owner?.zuid ?? null,
    type: read.type,
    ...fields,
    secretHash: clientSecret === undefined ? null : deps.hasher.hash(clientSecret),
    createdAt: now,
    updatedAt: now,
    ...(owner?.dc ? { homeDc: owner.dc } : {}),
  };
  const registration = {
    clientId: client.clientId,
    tokenHash: deps.hasher.hash(registrationAccessToken),
    metadata: read.kept,
    createdAt: now,
  };
  await deps.registrations.create(client, registration);
  // The client registers itself (RFC 7591 §1.2); the event names no credential, initial or issued.
  await deps.audit.record(context(caller, actors.client(client.clientId)), about('client.registered', client));
  return { client, clientSecret, registrationAccessToken, metadata: showMetadata(client, read.kept) };
}

/** A registered client and its registration, once the caller proved it holds the registration access token. */
export interface ManagedRegistration {
  client: Client;
  registration: ClientRegistration;
}

/**
 * RFC 7592 §2: the registration access token must be this client's, compared in constant time. An unknown client, a
 * client registered another way and a wrong token are refused alike (`invalid_token`), so the answer tells a caller
 * without the token nothing about which clients exist.
 */
export async function authorizeManagement(
  clientId: string,
  bearer: string | undefined,
  deps: Pick<RegistrationDeps, 'clients' | 'registrations' | 'hasher'>,
): Promise<ManagedRegistration> {
  if (bearer === undefined) throw invalidToken('token_missing', 'A registration access token is required.');
  // No client ID holds a control character or runs this long; PostgreSQL cannot even compare one holding NUL.
  const registration = CLIENT_ID_SHAPE.test(clientId) ? await deps.registrations.find(clientId) : undefined;
  const client = registration && (await deps.clients.find(clientId));
  if (!registration || !client || !deps.hasher.matches(bearer, registration.tokenHash)) throw wrongRegistrationToken();
  return { client, registration };
}

const wrongRegistrationToken = () => invalidToken('token_invalid', 'The registration access token is not valid for this client.');

const CLIENT_ID_SHAPE = /^[\x21-\x7e]{1,128}$/;

/** RFC 7592 §2.1: the client's current metadata. The client secret is stored hashed only, so it is never shown again. */
export function readRegistration({ client, registration }: ManagedRegistration): Record<string, unknown> {
  return showMetadata(client, registration.metadata);
}

/**
 * RFC 7592 §2.2: replaces the metadata (fields left out return to their defaults). The body names the same
 * `client_id`, and a `client_secret` in it must be the current one; the secret itself never changes here (the
 * console or CLI rotates it). The type the metadata describes must stay the client's type. The registration access
 * token is rotated: the answer carries the new one, and the old one stops working; of two updates racing with one
 * token, only one lands.
 */
export async function updateRegistration(
  managed: ManagedRegistration,
  body: unknown,
  caller: Caller,
  deps: RegistrationDeps,
): Promise<Omit<RegistrationAnswer, 'clientSecret'>> {
  const { client } = managed;
  const given = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (given.client_id !== client.clientId)
    throw invalidClientMetadata('client_metadata_invalid', 'client_id must be the client_id of the client being updated.');
  const secret = given.client_secret;
  if (secret !== undefined && (typeof secret !== 'string' || !client.secretHash || !deps.hasher.matches(secret, client.secretHash)))
    throw invalidClientMetadata('client_metadata_invalid', 'client_secret must be the current client secret, or left out.');
  const read = readMetadata(body, deps.scopes);
  if (read.type !== client.type)
    throw invalidClientMetadata('client_metadata_invalid', 'The metadata describes another kind of client; register a new client instead.');
  const fields = validated(read);
  const registrationAccessToken = newRegistrationAccessToken();
  const now = deps.now();
  const change = {
    expectedTokenHash: managed.registration.tokenHash,
    tokenHash: deps.hasher.hash(registrationAccessToken),
    metadata: read.kept,
    fields,
    now,
  };
  if (!(await deps.registrations.update(client.clientId, change))) throw wrongRegistrationToken();
  const updated = { ...client, ...fields, updatedAt: now };
  await deps.audit.record(context(caller, actors.client(client.clientId)), about('client.registration.updated', updated));
  return { client: updated, registrationAccessToken, metadata: showMetadata(updated, read.kept) };
}

/** RFC 7592 §2.3: deletes the client; its codes, tokens and consents go with it (the store's cascade). */
export async function deleteRegistration({ client }: ManagedRegistration, caller: Caller, deps: RegistrationDeps): Promise<void> {
  await deps.clients.delete(client.clientId);
  await deps.audit.record(context(caller, actors.client(client.clientId)), about('client.registration.deleted', client));
}

/** The console's validation has the last word; its complaints become RFC 7591 §3.2.2 errors. */
function validated(read: ReadMetadata): ValidClientFields {
  try {
    return validateClientFields(read.type, read.fields);
  } catch (err) {
    if (err instanceof ManagementError) throw registrationError(err);
    throw err;
  }
}

/** Console field names as RFC 7591 calls them; JavaScript domains come from the redirect URIs. */
const METADATA_NAMES: Record<string, string> = {
  name: 'client_name',
  homepage: 'client_uri',
  js_domains: 'redirect_uris',
  type: 'client metadata',
};

function registrationError(err: ManagementError): OAuthError {
  const problems = err instanceof FieldErrors ? err.errors : [err];
  const named = (p: ManagementError) => `${METADATA_NAMES[p.field ?? ''] ?? p.field ?? 'client metadata'}: ${p.message}`;
  const redirect = problems.filter((p) => p.field === 'redirect_uris');
  if (redirect.length > 0) return invalidRedirectUri('redirect_uri_invalid', redirect.map(named).join(' '));
  return invalidClientMetadata('client_metadata_invalid', problems.map(named).join(' '));
}

async function reserveOpenRegistration(address: string, rateLimiter: RateLimiter): Promise<void> {
  const reservation = await rateLimiter.reserve([{ key: `register:${addressBucket(address)}`, limit: OPEN_REGISTRATION_LIMIT }]);
  if (!reservation.allowed) throw throttled('Too many client registrations from this address; try again later.', reservation.retryAfter);
}

/** `ghrat_` and 256 random bits: recognisable in a leaked log, and high-entropy, so a keyed hash suffices. */
function newRegistrationAccessToken(): string {
  return `ghrat_${randomBytes(32).toString('base64url')}`;
}

function context(caller: Caller, actor: AuditContext['actor']): AuditContext {
  return { actor, address: caller.address };
}

/** A registration event: whose client (null: unowned), which, and its name; never a credential. */
function about(type: 'client.registered' | 'client.registration.updated' | 'client.registration.deleted', client: Client): AuditEntry {
  return { type, userZuid: client.ownerZuid, clientId: client.clientId, subject: client.name };
}
