/** A user's authenticator app (TOTP, RFC 6238). At most one per user. */
export interface TotpFactor {
  userZuid: string;
  /** The shared secret (base32), sealed under the server key (`SecretSeal`), labelled with the user's zuid. */
  sealedSecret: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** The last time step a code was accepted for; a code is accepted only for a later step (no replay). */
  lastStep: number;
}

/** How many of the user's recovery codes are unused, and when the set was made (null: the user has none). */
export interface RecoveryCodeSummary {
  left: number;
  createdAt: number | null;
}

/**
 * The second factors of users, as the store keeps them. Recovery codes arrive keyed-hashed, like every credential.
 * Implemented by both stores and checked by the storage contract.
 */
export interface FactorRepository {
  findTotp(userZuid: string): Promise<TotpFactor | undefined>;
  /** Stores the user's authenticator app, replacing the one they had. */
  saveTotp(factor: TotpFactor): Promise<void>;
  /**
   * Records that a code for `step` was accepted, only if `step` is later than the last accepted one, atomically: of
   * concurrent calls for one step, exactly one gets true. False when the user has no authenticator app.
   */
  useTotpStep(userZuid: string, step: number, now: number): Promise<boolean>;
  /** Replaces the user's recovery codes by these (keyed hashes). Callers run it in a transaction. */
  replaceRecoveryCodes(userZuid: string, codeHashes: readonly string[], now: number): Promise<void>;
  /** Marks an unused recovery code used, atomically: of concurrent calls with one code, exactly one gets true. */
  useRecoveryCode(userZuid: string, codeHash: string, now: number): Promise<boolean>;
  recoveryCodes(userZuid: string): Promise<RecoveryCodeSummary>;
  /** Removes every factor and recovery code of the user. Returns how many factors went (recovery codes not counted). */
  deleteAll(userZuid: string): Promise<number>;
}
