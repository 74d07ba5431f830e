import type { Client } from '../core/clients/client.js';
import type { User } from '../core/users/user.js';

/**
 * The storage contract, written in domain terms. Both the SQLite and the PostgreSQL store implement it and both must
 * pass `test/storage/contract.ts`. Credentials arrive here already hashed: `id` of a code or token is the keyed hash of
 * its value, so nothing in the store can be replayed if it leaks.
 */

export interface AuthorizationCode {
  /** Keyed hash of the code. */
  id: string;
  clientId: string;
  userZuid: string;
  /** Canonical scope names, space separated. */
  scopes: string;
  /** The redirect URI the code was issued for; null for Self Client codes, which are redeemed without one. */
  redirectUri: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: 'S256' | 'plain' | null;
  nonce: string | null;
  /** `access_type=offline`: the exchange also issues a refresh token. */
  offline: boolean;
  kind: 'web' | 'self';
  description: string | null;
  createdAt: number;
  expiresAt: number;
  consumedAt: number | null;
}

export type CodeConsumption =
  | { status: 'ok'; code: AuthorizationCode }
  | { status: 'already_used'; code: AuthorizationCode }
  | { status: 'expired'; code: AuthorizationCode }
  | { status: 'not_found' };

export interface RefreshToken {
  id: string;
  clientId: string;
  userZuid: string;
  scopes: string;
  /** The code this token was issued from, so a replayed code can revoke it (RFC 9700 §4.2.4). */
  originCodeId: string | null;
  createdAt: number;
}

export interface AccessToken {
  id: string;
  clientId: string;
  userZuid: string;
  scopes: string;
  refreshTokenId: string | null;
  originCodeId: string | null;
  createdAt: number;
  expiresAt: number;
}

/** One (user, client) pair with live refresh tokens: what a "connected apps" page lists. */
export interface GrantSummary {
  clientId: string;
  userZuid: string;
  scopes: string;
  refreshTokens: number;
  firstGrantedAt: number;
  lastGrantedAt: number;
}

/** A signed-in browser. `id` is the keyed hash of the cookie value. */
export interface Session {
  id: string;
  userZuid: string;
  createdAt: number;
  expiresAt: number;
}

/** What a user has agreed to let a client do: the union of every scope granted to it, and when. */
export interface Consent {
  userZuid: string;
  clientId: string;
  scopes: string;
  firstGrantedAt: number;
  lastGrantedAt: number;
}

/**
 * A consent page shown to a user: the validated authorization request it asks about, answerable once. `id` is the
 * keyed hash of the value the page's form carries.
 */
export interface Interaction {
  id: string;
  userZuid: string;
  clientId: string;
  /** The validated authorization request, as JSON. */
  request: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * A device authorization in progress (RFC 8628, spec §3.5): a device without a browser polls with its device code
 * while its user, on another screen, types the user code and approves or denies.
 */
export interface DeviceAuthorization {
  /** Keyed hash of the device code (`CredentialHasher.storageKey`). */
  id: string;
  /** Keyed hash of the user code, normalised; unique. */
  userCodeKey: string;
  clientId: string;
  /** Canonical scope names, space separated. */
  scopes: string;
  /** `access_type=offline`: the approval also issues a refresh token. */
  offline: boolean;
  status: 'pending' | 'approved' | 'denied';
  /** Who answered; null while pending. */
  userZuid: string | null;
  createdAt: number;
  expiresAt: number;
  lastPolledAt: number | null;
  consumedAt: number | null;
}

/** A key that signs id_tokens. The newest unretired key signs; every unretired key is published in the JWKS. */
export interface SigningKey {
  kid: string;
  algorithm: 'RS256';
  /** PKCS#8 PEM. */
  privateKey: string;
  /** The public JWK, as JSON. */
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

/** A record of a sample API module (CRM Leads, FSM Requests …), owned by one user. */
export interface ModuleRecord {
  /** Numeric string, as Zoho's SDKs expect (they parse IDs with BigInt). */
  id: string;
  /** e.g. `crm.Leads`, `fsm.Work_Orders`. */
  module: string;
  ownerZuid: string;
  /** Field values by API name. */
  data: Record<string, unknown>;
  createdAt: number;
  modifiedAt: number;
}

export interface RecordQuery {
  sortBy: 'id' | 'Created_Time' | 'Modified_Time';
  sortOrder: 'asc' | 'desc';
  offset: number;
  /** At most this many; the repository reads one more to tell whether more exist. */
  limit: number;
  /** Only these IDs, when given. */
  ids?: readonly string[];
}

export class DuplicateError extends Error {
  constructor(readonly what: 'email' | 'self_client' | 'id' | 'name' | 'user_code') {
    super(`duplicate ${what}`);
    this.name = 'DuplicateError';
  }
}

export interface UserRepository {
  /** Throws DuplicateError('email') when the email is taken. */
  create(user: User): Promise<void>;
  findByEmail(email: string): Promise<User | undefined>;
  findByZuid(zuid: string): Promise<User | undefined>;
  count(): Promise<number>;
  /** Every user, for administrators, oldest first. */
  list(): Promise<User[]>;
  /** Replaces the password hash and clears (or sets) the must-change flag. False when no such user. */
  updatePassword(zuid: string, passwordHash: string, mustChangePassword: boolean): Promise<boolean>;
  /**
   * Disables or re-enables the user. False when no such user. Inside a transaction on PostgreSQL it waits for
   * transactions issuing a token to the user (`TokenRepository.createAccessToken`), so none commits a token after it.
   */
  setDisabled(zuid: string, disabled: boolean): Promise<boolean>;
  /** Grants or takes away the administrator role. False when no such user. */
  setAdmin(zuid: string, isAdmin: boolean): Promise<boolean>;
}

export interface ClientRepository {
  /** Throws DuplicateError('self_client') when the owner already has a Self Client. */
  create(client: Client): Promise<void>;
  find(clientId: string): Promise<Client | undefined>;
  /** `find` from memory only, without a promise; undefined means "ask `find`" (see `TokenRepository.peekAccessToken`). */
  peek(clientId: string): Client | undefined;
  listByOwner(ownerZuid: string): Promise<Client[]>;
  /** Replaces the secret hash; false when the client does not exist. */
  updateSecretHash(clientId: string, secretHash: string, now: number): Promise<boolean>;
  /** Replaces the registration fields; false when the client does not exist. */
  updateFields(clientId: string, fields: Pick<Client, 'name' | 'homepage' | 'redirectUris' | 'jsDomains'>, now: number): Promise<boolean>;
  /** Deletes the client and, by cascade, its codes, tokens, consents and pending consent pages. */
  delete(clientId: string): Promise<boolean>;
  /** Every client, for administrators. */
  listAll(): Promise<Client[]>;
}

export interface CodeRepository {
  create(code: AuthorizationCode): Promise<void>;
  find(id: string): Promise<AuthorizationCode | undefined>;
  /**
   * Marks a code used, atomically: of any number of concurrent calls for one code, exactly one gets `ok`.
   * An expired or already used code is left as it is and reported.
   */
  consume(id: string, now: number): Promise<CodeConsumption>;
}

export interface TokenRepository {
  createRefreshToken(token: RefreshToken): Promise<void>;
  findRefreshToken(id: string): Promise<RefreshToken | undefined>;
  /**
   * Stores the access token only if its user exists and is not disabled; false (nothing stored) otherwise. It is the
   * one check every grant passes, so it costs no extra query: the insert carries it. On PostgreSQL it also holds the
   * user's row until the transaction ends, so a concurrent `UserRepository.setDisabled` waits and its revocation that
   * follows sees this token.
   *
   * Called on the store itself (outside a transaction), concurrent calls share one commit: the token endpoint's
   * grants that store nothing else (client_credentials) go this way.
   */
  createAccessToken(token: AccessToken): Promise<boolean>;
  /** Finds an access token whatever its expiry; callers decide what expired means. */
  findAccessToken(id: string): Promise<AccessToken | undefined>;
  /**
   * `findAccessToken` from memory only, without a promise: the token if the store holds it in memory and provably
   * unchanged since read (SQLite's read cache), else undefined, which means "ask `findAccessToken`", not "no such
   * token". Every protected API call looks its token up; this lets the repeat ones skip the promise machinery.
   */
  peekAccessToken(id: string): AccessToken | undefined;
  /** Keeps the `keep` newest refresh tokens of a (user, client) pair, deleting older ones and their access tokens. */
  evictRefreshTokens(userZuid: string, clientId: string, keep: number): Promise<number>;
  /** Keeps the `keep` newest live access tokens of a refresh token, deleting the older ones. */
  evictAccessTokens(refreshTokenId: string, keep: number): Promise<number>;
  /** Deletes a refresh token and every access token issued from it. False when there was none. */
  revokeRefreshToken(id: string): Promise<boolean>;
  revokeAccessToken(id: string): Promise<boolean>;
  /** Deletes every token issued from a code (replay defence). Returns how many went. */
  revokeIssuedFromCode(codeId: string): Promise<number>;
  /** Deletes every token a user holds for a client (connected apps → Revoke). */
  revokeGrant(userZuid: string, clientId: string): Promise<number>;
  /** Deletes every access token, refresh token and authorization code of a user, for every client. Returns how many went. */
  revokeAllForUser(userZuid: string): Promise<number>;
  listGrants(userZuid: string): Promise<GrantSummary[]>;
  /** Deletes access tokens and codes that expired before `before`. */
  purgeExpired(before: number): Promise<number>;
}

export interface SessionRepository {
  create(session: Session): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findLive(id: string, now: number): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** Ends every session of a user (signed out everywhere). Returns how many ended. */
  deleteForUser(userZuid: string): Promise<number>;
  deleteExpired(before: number): Promise<number>;
}

export interface ConsentRepository {
  find(userZuid: string, clientId: string): Promise<Consent | undefined>;
  /** Records a grant, adding `scopes` (space separated) to what the user granted the client before. */
  grant(userZuid: string, clientId: string, scopes: string, now: number): Promise<void>;
  listForUser(userZuid: string): Promise<Consent[]>;
  /** Every user's consent to one client: who granted it. */
  listForClient(clientId: string): Promise<Consent[]>;
  /** Forgets the consent; false when there was none. */
  revoke(userZuid: string, clientId: string): Promise<boolean>;
}

export interface InteractionRepository {
  create(interaction: Interaction): Promise<void>;
  /**
   * Takes the interaction if it is live and was shown to `userZuid`, atomically: a replayed answer finds nothing, and
   * another user's answer leaves it for its own user.
   */
  consume(id: string, userZuid: string, now: number): Promise<Interaction | undefined>;
  deleteExpired(before: number): Promise<number>;
}

export interface DeviceAuthorizationRepository {
  /** Throws DuplicateError('user_code') when a live authorization has the same user code. */
  create(authorization: DeviceAuthorization): Promise<void>;
  find(id: string): Promise<DeviceAuthorization | undefined>;
  findByUserCode(userCodeKey: string): Promise<DeviceAuthorization | undefined>;
  /** Records the user's answer while the authorization is pending and live, atomically; false otherwise. */
  decide(userCodeKey: string, status: 'approved' | 'denied', userZuid: string, now: number): Promise<boolean>;
  /**
   * Records a poll of the device if it comes `minIntervalMs` or more after the last recorded one (or is the first),
   * atomically: of polls racing within one interval, exactly one is recorded. False for a poll that came too soon.
   */
  notePoll(id: string, now: number, minIntervalMs: number): Promise<boolean>;
  /** Marks an approved authorization used, atomically: of any number of concurrent polls, exactly one gets true. */
  consume(id: string, now: number): Promise<boolean>;
  deleteExpired(before: number): Promise<number>;
}

export interface SigningKeyRepository {
  create(key: SigningKey): Promise<void>;
  /** Unretired keys, newest first. */
  listActive(): Promise<SigningKey[]>;
  /** Takes a key out of the JWKS; false when no such unretired key. */
  retire(kid: string, now: number): Promise<boolean>;
  /** Stores a key's private half in another form (sealed), only if it is still `current`; false otherwise. */
  replacePrivateKey(kid: string, current: string, replacement: string): Promise<boolean>;
}

/** Every call is scoped to one owner: a user never reads or changes another's records. */
export interface RecordRepository {
  create(record: ModuleRecord): Promise<void>;
  get(ownerZuid: string, module: string, id: string): Promise<ModuleRecord | undefined>;
  /** `get` from memory only, without a promise; undefined means "ask `get`" (see `TokenRepository.peekAccessToken`). */
  peek(ownerZuid: string, module: string, id: string): ModuleRecord | undefined;
  list(ownerZuid: string, module: string, query: RecordQuery): Promise<{ records: ModuleRecord[]; more: boolean }>;
  /** Replaces the record's data; undefined when the owner has no such record. */
  update(ownerZuid: string, module: string, id: string, data: Record<string, unknown>, now: number): Promise<ModuleRecord | undefined>;
  /** Deletes those of `ids` the owner has; returns the IDs deleted. */
  delete(ownerZuid: string, module: string, ids: readonly string[]): Promise<string[]>;
}

/**
 * A credential for the management API from scripts, without a browser session: it acts as its owner, an
 * administrator. Stored only as a keyed hash, like every token.
 */
export interface ApiToken {
  /** Keyed hash of the token. */
  id: string;
  userZuid: string;
  /** Unique per user; how the token is listed and revoked. */
  name: string;
  createdAt: number;
}

export interface ApiTokenRepository {
  /** Throws DuplicateError('name') when the user has a token of this name already. */
  create(token: ApiToken): Promise<void>;
  find(id: string): Promise<ApiToken | undefined>;
  listForUser(userZuid: string): Promise<ApiToken[]>;
  /** False when the user has no token of this name. */
  delete(userZuid: string, name: string): Promise<boolean>;
  /** Deletes every token of the user. Returns how many went. */
  deleteForUser(userZuid: string): Promise<number>;
}

export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key is set already; returns what is stored. Safe under concurrent first starts. */
  getOrCreate(key: string, value: string): Promise<string>;
}

export interface Repositories {
  users: UserRepository;
  clients: ClientRepository;
  codes: CodeRepository;
  tokens: TokenRepository;
  sessions: SessionRepository;
  consents: ConsentRepository;
  interactions: InteractionRepository;
  deviceAuthorizations: DeviceAuthorizationRepository;
  signingKeys: SigningKeyRepository;
  records: RecordRepository;
  settings: SettingsRepository;
  apiTokens: ApiTokenRepository;
}

export interface Transaction extends Repositories {
  /**
   * Serialises transactions that take the same key until this one ends, so a count-then-evict limit cannot be
   * raced past (PostgreSQL advisory lock; SQLite transactions are serial already).
   */
  lock(key: string): Promise<void>;
}

/**
 * How a store that several nodes share learns that another node changed a row its read cache may hold (PostgreSQL:
 * LISTEN/NOTIFY). While not connected, nothing is served from the cache.
 */
export interface CacheInvalidation {
  readonly connected: boolean;
  /** Change notifications received since start. */
  readonly notifications: number;
  /** Calls `listener` with false once per outage and with true once per recovery (not at the first connection). */
  watch(listener: (connected: boolean) => void): void;
}

export interface Storage extends Repositories {
  readonly dialect: 'sqlite' | 'postgres';
  /** Present when other nodes' changes reach the read cache through a channel that can drop (PostgreSQL). */
  readonly cacheInvalidation?: CacheInvalidation;
  /** Runs `fn` in one transaction: all its writes land, or none do. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** Resolves when the database answers a trivial query; rejects when it cannot (closed, unreachable). For /readyz. */
  ping(): Promise<void>;
  /** Commits what is pending first (SQLite's grouped transactions), then closes. Idempotent. */
  close(): Promise<void>;
}
