import type { ApiTokenRepository } from './api-tokens/api-token-repository.js';
import type { AuditEventRepository } from './audit/audit-log.js';
import type { CodeRepository } from './authorize/code-repository.js';
import type { ConsentRepository } from './authorize/consent-repository.js';
import type { InteractionRepository } from './authorize/interaction-repository.js';
import type { ClientRepository } from './clients/client-repository.js';
import type { ClientRegistrationRepository, InitialAccessTokenRepository } from './registration/registration-repository.js';
import type { DeviceAuthorizationRepository } from './device/device-authorization-repository.js';
import type { FactorRepository } from './mfa/factor-repository.js';
import type { PasskeyChallengeRepository, PasskeyRepository } from './mfa/passkey-repository.js';
import type { PushedRequestRepository } from './par/pushed-request-repository.js';
import type { SigningKeyRepository } from './oidc/signing-key-repository.js';
import type { OrganisationRepository } from './orgs/organisation-repository.js';
import type { SessionRepository } from './sessions/session-repository.js';
import type { SettingsRepository } from './tokens/settings-repository.js';
import type { TokenRepository } from './tokens/token-repository.js';
import type { UserRepository } from './users/user-repository.js';

/**
 * The store the protocol needs, written in domain terms: each repository interface lives beside the core code that
 * uses it, and both the SQLite and the PostgreSQL store implement them and must pass `test/storage/contract.ts`.
 * Credentials arrive here already hashed: `id` of a code or token is the keyed hash of its value, so nothing in the
 * store can be replayed if it leaks.
 */
export interface Repositories {
  users: UserRepository;
  clients: ClientRepository;
  codes: CodeRepository;
  tokens: TokenRepository;
  sessions: SessionRepository;
  consents: ConsentRepository;
  interactions: InteractionRepository;
  pushedRequests: PushedRequestRepository;
  deviceAuthorizations: DeviceAuthorizationRepository;
  signingKeys: SigningKeyRepository;
  settings: SettingsRepository;
  apiTokens: ApiTokenRepository;
  factors: FactorRepository;
  passkeys: PasskeyRepository;
  passkeyChallenges: PasskeyChallengeRepository;
  auditEvents: AuditEventRepository;
  organisations: OrganisationRepository;
}

export interface Transaction extends Repositories {
  /**
   * Serialises transactions that take the same key until this one ends, so a count-then-evict limit cannot be
   * raced past (PostgreSQL advisory lock; SQLite transactions are serial already).
   */
  lock(key: string): Promise<void>;
}

/**
 * A service's share of the store: the repositories `K` it uses, and transactions that reach only those (and the lock).
 * A whole `Storage` is one, whatever `K` names.
 */
export type StoreOf<K extends keyof Repositories> = Pick<Repositories, K> & {
  transaction<T>(fn: (tx: Pick<Transaction, K | 'lock'>) => Promise<T>): Promise<T>;
};

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
  /**
   * Dynamic client registration's state (RFC 7591/7592). Never needed inside another transaction, so outside
   * `Repositories`: a transaction (each token request's) builds no repository for it.
   */
  readonly registrations: ClientRegistrationRepository;
  readonly initialAccessTokens: InitialAccessTokenRepository;
  /** Present when other nodes' changes reach the read cache through a channel that can drop (PostgreSQL). */
  readonly cacheInvalidation?: CacheInvalidation;
  /** Runs `fn` in one transaction: all its writes land, or none do. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  /** Whether Gatehouse's schema is here (its migrations have run at least once); reads only. */
  hasSchema(): Promise<boolean>;
  /** Resolves when the database answers a trivial query; rejects when it cannot (closed, unreachable). For /readyz. */
  ping(): Promise<void>;
  /** Commits what is pending first (SQLite's grouped transactions), then closes. Idempotent. */
  close(): Promise<void>;
}
