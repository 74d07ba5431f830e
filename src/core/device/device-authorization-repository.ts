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
