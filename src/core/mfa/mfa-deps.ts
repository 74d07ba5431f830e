import type { AuditLog } from '../audit/audit-log.js';
import type { GatehouseConfig } from '../config/config.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { SecretSeal } from '../secret-seal.js';
import type { StoreOf } from '../store.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';

/** What the multi-factor functions need; the Gatehouse composition root has all of it. */
export interface MfaDeps {
  storage: StoreOf<'factors' | 'sessions' | 'passkeys' | 'passkeyChallenges' | 'auditEvents'>;
  /** The issuer (the passkeys' relying party) and `GATEHOUSE_REQUIRE_MFA`. */
  config: Pick<GatehouseConfig, 'issuer' | 'requireMfa'>;
  audit: AuditLog;
  hasher: CredentialHasher;
  rateLimiter: RateLimiter;
  /** Seals TOTP secrets at rest and the tickets of enrollment and of the second sign-in step. */
  mfaSeal: SecretSeal;
  now: () => number;
}

/** The label a user's TOTP secret is sealed under: it opens only as that user's. */
export const totpSecretLabel = (userZuid: string): string => `totp:${userZuid}`;
