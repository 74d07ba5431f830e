import type { SigningAlgorithm } from './signing-algorithms.js';

/**
 * A key that signs Gatehouse's tokens. Per algorithm, the newest unretired key whose time has come signs; every
 * unretired key is published in the JWKS.
 */
export interface SigningKey {
  kid: string;
  algorithm: SigningAlgorithm;
  /** PKCS#8 PEM. */
  privateKey: string;
  /** The public JWK, as JSON. */
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
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
