import { AuditLog, logAppendFailureToStderr, type AuditEvent } from './core/audit/audit-log.js';
import type { GatehouseConfig } from './core/config/config.js';
import type { GrantDeps } from './core/grants/grant-handler.js';
import { GrantRegistry } from './core/grants/index.js';
import { BackChannelLogout } from './core/logout/back-channel-logout.js';
import { MemoryRateLimiter, type RateLimiter } from './core/limits/rate-limiter.js';
import { reportingRefusals } from './core/limits/refusal-reporting.js';
import { bothEvents, type GatehouseEvents } from './core/observability/events.js';
import { HourlyActivity } from './core/observability/hourly-activity.js';
import { PrivateKeySeal } from './core/oidc/private-key-seal.js';
import { SigningKeys } from './core/oidc/signing-keys.js';
import { ScopeRegistry } from './core/scopes/registry.js';
import { SecretSeal } from './core/secret-seal.js';
import { CredentialHasher } from './core/tokens/credential-hasher.js';
import { TokenIssuer } from './core/tokens/token-issuer.js';
import { ResourceIndicators } from './core/tokens/resource-indicators.js';
import type { TokenLookupDeps } from './core/tokens/token-lookup.js';
import type { Storage } from './core/store.js';
import { DpopVerifier, MemoryReplayCache, type ReplayCache } from '@gatehouse/resource-server';
import { ClientKeys } from './core/client-auth/client-keys.js';
import { HttpJwksFetcher } from './core/client-auth/http-jwks-fetcher.js';
import type { JwksFetcher } from './core/client-auth/jwks-fetcher.js';
import type { ClientAuthDeps } from './core/clients/authenticate-client.js';
import { DpopNonces } from './core/dpop/dpop-nonces.js';
import { TokenRequestProofs } from './core/dpop/token-request-proof.js';

export interface GatehouseOptions {
  config: GatehouseConfig;
  storage: Storage;
  /** Key for hashing credentials; see `resolveHashKey`. */
  hashKey: Buffer;
  /** Defaults to in-memory counters (one node); pass a RedisRateLimiter when several nodes share the store. */
  rateLimiter?: RateLimiter;
  scopes?: ScopeRegistry;
  grants?: GrantRegistry;
  /** Epoch milliseconds; injectable so tests can move time. */
  now?: () => number;
  /** Who else watches the protocol's events (the Prometheus metrics); the console's hourly counts always do. */
  events?: GatehouseEvents;
  /** Where a best-effort audit event that could not be stored is reported; stderr by default. */
  onAuditAppendFailed?: (err: unknown, event: AuditEvent) => void;
  /**
   * Where DPoP proofs' and client assertions' `jti`s are kept (under different key prefixes); this process's memory by
   * default, Redis (`RedisReplayCache`) across nodes.
   */
  dpopReplay?: ReplayCache;
  /** How clients' `jwks_uri`s are read; HTTP (`HttpJwksFetcher`) by default. */
  jwksFetcher?: JwksFetcher;
}

/** The composition root: every service, built once from explicit options, no globals. */
export interface Gatehouse extends GrantDeps {
  storage: Storage;
  grants: GrantRegistry;
  lookup: TokenLookupDeps;
  clientAuth: ClientAuthDeps;
  /** Clients' verification keys (`jwks`, `jwks_uri`), for client assertions and request objects. */
  clientKeys: ClientKeys;
  /** This node's per-hour counts for the console's overview (also among `events`' watchers). */
  activity: HourlyActivity;
  /** Seals TOTP secrets at rest and the tickets of the multi-factor pages (see `MfaDeps`). */
  mfaSeal: SecretSeal;
  /** Seals the secrets of `client_secret_jwt` clients at rest (see `ClientManagementDeps`). */
  clientSecretSeal: SecretSeal;
  audit: AuditLog;
  /** Tells clients over the back channel when sessions end (OpenID Connect Back-Channel Logout). */
  backChannelLogout: BackChannelLogout;
  /** The token endpoint's DPoP proof check (RFC 9449 §5). */
  dpop: TokenRequestProofs;
}

export function createGatehouse(options: GatehouseOptions): Gatehouse {
  const now = options.now ?? Date.now;
  const hasher = new CredentialHasher(options.hashKey);
  const scopes = options.scopes ?? new ScopeRegistry();
  const activity = new HourlyActivity(now);
  const events = options.events ? bothEvents(activity, options.events) : activity;
  const rateLimiter = options.rateLimiter ?? new MemoryRateLimiter(now);
  const signingKeys = new SigningKeys(options.storage.signingKeys, new PrivateKeySeal(options.hashKey), now, (fn) =>
    options.storage.transaction(async (tx) => {
      await tx.lock('signing-keys:first');
      return fn(tx.signingKeys);
    }),
  );
  // One replay cache for DPoP proofs and client assertions: the same guarantee (once, across nodes), other key prefixes.
  const replay = options.dpopReplay ?? new MemoryReplayCache(undefined, now);
  const clientKeys = new ClientKeys(options.jwksFetcher ?? new HttpJwksFetcher(), now);
  const clientSecretSeal = new SecretSeal(options.hashKey, 'gatehouse client secret seal');
  const audit = new AuditLog(options.storage.auditEvents, now, options.onAuditAppendFailed ?? logAppendFailureToStderr);
  return {
    config: options.config,
    storage: options.storage,
    hasher,
    scopes,
    now,
    // Refusals are counted only for a watcher that counts them: the hourly counts do not, and cost nothing here.
    rateLimiter: options.events ? reportingRefusals(rateLimiter, options.events) : rateLimiter,
    events,
    activity,
    issuer: new TokenIssuer(hasher, options.config, now, signingKeys),
    resources: new ResourceIndicators(options.config),
    signingKeys,
    grants: options.grants ?? new GrantRegistry(),
    lookup: { tokens: options.storage.tokens, hasher, scopes, now },
    clientAuth: {
      clients: options.storage.clients,
      hasher,
      assertions: { keys: clientKeys, clientSecretSeal, replay, now },
      audit,
    },
    clientKeys,
    mfaSeal: new SecretSeal(options.hashKey, 'gatehouse multi-factor seal'),
    clientSecretSeal,
    audit,
    backChannelLogout: new BackChannelLogout({ storage: options.storage, signingKeys, config: options.config, now, audit }),
    dpop: new TokenRequestProofs(
      new DpopVerifier({ now, replay }),
      options.config.dpopNonce ? new DpopNonces(options.hashKey, now) : undefined,
    ),
  };
}
