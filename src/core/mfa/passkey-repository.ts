/** A user's passkey (a WebAuthn credential): what the server keeps to check its signatures. Public data only. */
export interface Passkey {
  /** The credential ID the authenticator chose, base64url. */
  credentialId: string;
  userZuid: string;
  /** The credential's public key as the authenticator sent it (COSE), base64url. */
  publicKey: string;
  /** The last signature counter seen; 0 for authenticators that keep none (most synced passkeys). */
  counter: number;
  /** How the browser may reach the authenticator (`internal`, `usb`, `hybrid`…), as it reported at registration. */
  transports: string[];
  /** The user's label for it. */
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** Implemented by both stores and checked by the storage contract. */
export interface PasskeyRepository {
  add(passkey: Passkey): Promise<void>;
  find(credentialId: string): Promise<Passkey | undefined>;
  /** The user's passkeys, oldest first. */
  listForUser(userZuid: string): Promise<Passkey[]>;
  countForUser(userZuid: string): Promise<number>;
  /**
   * Records a signature with `counter`, atomically, only if the counter moved forward (or the authenticator keeps none:
   * stored and new counter both 0). False for a counter that did not: a cloned authenticator, or a replayed assertion.
   */
  useCounter(credentialId: string, counter: number, now: number): Promise<boolean>;
  /** Removes one passkey of the user; false when the user has none by that ID. */
  remove(userZuid: string, credentialId: string): Promise<boolean>;
  /** Removes every passkey of the user. Returns how many went. */
  removeAllForUser(userZuid: string): Promise<number>;
}

/** What a WebAuthn challenge was issued for: adding a passkey, the second sign-in step, or signing in with a passkey alone. */
export type ChallengePurpose = 'register' | 'second-factor' | 'passwordless';

/** A challenge handed to a browser, stored under the keyed hash of its value until it is used or expires. */
export interface PasskeyChallenge {
  id: string;
  purpose: ChallengePurpose;
  /** The user it was issued to; null for a passwordless sign-in, where the passkey says who it is. */
  userZuid: string | null;
  expiresAt: number;
}

/**
 * Challenges live in the store, not in one process's memory, so the node that checks an answer need not be the node
 * that asked; `consume` takes one atomically, so each is answered at most once, whichever node gets the answer.
 */
export interface PasskeyChallengeRepository {
  save(challenge: PasskeyChallenge): Promise<void>;
  /** Deletes the challenge and returns it when it existed and had not expired; of concurrent calls, one gets it. */
  consume(id: string, now: number): Promise<PasskeyChallenge | undefined>;
  /** Deletes challenges that expired before `before`. Returns how many went. */
  deleteExpired(before: number): Promise<number>;
}
