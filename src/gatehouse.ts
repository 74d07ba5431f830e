import { AuditLog, logAppendFailureToStderr, type AuditEvent } from './core/audit/audit-log.js';
import type { GatehouseConfig } from './core/config/config.js';
import type { GrantDeps } from './core/grants/grant-handler.js';
import { GrantRegistry } from './core/grants/index.js';
import { MemoryRateLimiter, type RateLimiter } from './core/limits/rate-limiter.js';
import { PrivateKeySeal } from './core/oidc/private-key-seal.js';
import { SigningKeys } from './core/oidc/signing-keys.js';
import { ScopeRegistry } from './core/scopes/registry.js';
import { SecretSeal } from './core/secret-seal.js';
import { CredentialHasher } from './core/tokens/credential-hasher.js';
import { TokenIssuer } from './core/tokens/token-issuer.js';
import type { TokenLookupDeps } from './core/tokens/token-lookup.js';
import type { Storage } from './core/store.js';

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
  /** Where a best-effort audit event that could not be stored is reported; stderr by default. */
  onAuditAppendFailed?: (err: unknown, event: AuditEvent) => void;
}

/** The composition root: every service, built once from explicit options, no globals. */
export interface Gatehouse extends GrantDeps {
  storage: Storage;
  grants: GrantRegistry;
  lookup: TokenLookupDeps;
  clientAuth: { clients: Storage['clients']; hasher: CredentialHasher };
  /** Seals TOTP secrets at rest and the tickets of the multi-factor pages (see `MfaDeps`). */
  mfaSeal: SecretSeal;
  audit: AuditLog;
}

export function createGatehouse(options: GatehouseOptions): Gatehouse {
  const now = options.now ?? Date.now;
  const hasher = new CredentialHasher(options.hashKey);
  const scopes = options.scopes ?? new ScopeRegistry();
  return {
    config: options.config,
    storage: options.storage,
    hasher,
    scopes,
    now,
    rateLimiter: options.rateLimiter ?? new MemoryRateLimiter(now),
    issuer: new TokenIssuer(hasher, options.config, now),
    signingKeys: new SigningKeys(options.storage.signingKeys, new PrivateKeySeal(options.hashKey), now, (fn) =>
      options.storage.transaction(async (tx) => {
        await tx.lock('signing-keys:first');
        return fn(tx.signingKeys);
      }),
    ),
    grants: options.grants ?? new GrantRegistry(),
    lookup: { tokens: options.storage.tokens, hasher, scopes, now },
    clientAuth: { clients: options.storage.clients, hasher },
    mfaSeal: new SecretSeal(options.hashKey, 'gatehouse multi-factor seal'),
    audit: new AuditLog(options.storage.auditEvents, now, options.onAuditAppendFailed ?? logAppendFailureToStderr),
  };
}
