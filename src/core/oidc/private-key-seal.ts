import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/** What `gatehouse keys` wrote before keys were sealed: the PKCS#8 PEM itself. */
const PLAIN_PEM = '-----BEGIN PRIVATE KEY-----';

/**
 * The private halves of the id_token signing keys at rest: a JWE (`dir`, A256GCM) under a key derived from the server
 * key (`GATEHOUSE_SECRET_KEY`) by HKDF, with the signing key's `kid` in its protected header, so a copy of the database
 * alone can sign nothing, and a sealed key cannot be passed off as another row's. Keys stored in the clear by earlier
 * versions still open (and `SigningKeys` seals them on first use).
 */
export class PrivateKeySeal {
  private readonly key: Uint8Array;

  constructor(serverKey: Buffer) {
    this.key = new Uint8Array(hkdfSync('sha256', serverKey, new Uint8Array(0), 'gatehouse id_token signing key seal', 32));
  }

  static isPlain(stored: string): boolean {
    return stored.startsWith(PLAIN_PEM);
  }

  seal(pem: string, kid: string): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(pem)).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid }).encrypt(this.key);
  }

  /** The PEM; throws when the stored value was sealed under another server key, or for another kid. */
  async open(stored: string, kid: string): Promise<string> {
    if (PrivateKeySeal.isPlain(stored)) return stored;
    const { plaintext, protectedHeader } = await compactDecrypt(stored, this.key).catch((err: unknown) => {
      throw new Error(
        `The signing key ${kid} cannot be opened: it was sealed under another GATEHOUSE_SECRET_KEY. Set that key again, or run \`gatehouse keys rotate\` for a new signing key.`,
        { cause: err },
      );
    });
    if (protectedHeader.kid !== kid)
      throw new Error(`The stored private key of ${kid} was sealed for another key (${protectedHeader.kid}).`);
    return new TextDecoder().decode(plaintext);
  }
}
