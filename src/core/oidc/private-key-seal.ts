import { SealOpenError, SecretSeal } from '../secret-seal.js';

/** What `gatehouse keys` wrote before keys were sealed: the PKCS#8 PEM itself. */
const PLAIN_PEM = '-----BEGIN PRIVATE KEY-----';

/**
 * The private halves of the id_token signing keys at rest, sealed (`SecretSeal`) with the signing key's `kid` as the
 * label, so a copy of the database alone can sign nothing, and a sealed key cannot be passed off as another row's. Keys
 * stored in the clear by earlier versions still open (and `SigningKeys` seals them on first use).
 */
export class PrivateKeySeal {
  private readonly seal_: SecretSeal;

  constructor(serverKey: Buffer) {
    this.seal_ = new SecretSeal(serverKey, 'gatehouse id_token signing key seal');
  }

  static isPlain(stored: string): boolean {
    return stored.startsWith(PLAIN_PEM);
  }

  seal(pem: string, kid: string): Promise<string> {
    return this.seal_.seal(pem, kid);
  }

  /** The PEM; throws when the stored value was sealed under another server key, or for another kid. */
  async open(stored: string, kid: string): Promise<string> {
    if (PrivateKeySeal.isPlain(stored)) return stored;
    return this.seal_.open(stored, kid).catch((err: unknown) => {
      if (!(err instanceof SealOpenError)) throw err;
      throw new Error(
        err.reason === 'key'
          ? `The signing key ${kid} cannot be opened: it was sealed under another GATEHOUSE_SECRET_KEY. Set that key again, or run \`gatehouse keys rotate --now\` for a new signing key that signs at once.`
          : `The stored private key of ${kid} was sealed for another key.`,
        { cause: err },
      );
    });
  }
}
