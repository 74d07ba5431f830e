import { hkdfSync } from 'node:crypto';
import { CompactEncrypt, compactDecrypt } from 'jose';

/** Why a sealed value did not open: sealed under another server key (or not a seal at all), or for another label. */
export class SealOpenError extends Error {
  constructor(
    readonly reason: 'key' | 'label',
    options?: ErrorOptions,
  ) {
    super(reason === 'key' ? 'sealed under another key' : 'sealed for another label', options);
    this.name = 'SealOpenError';
  }
}

/**
 * Secrets kept where others can read them (a database row, a cookie, a form field): a JWE (`dir`, A256GCM) under a key
 * derived from the server key (`GATEHOUSE_SECRET_KEY`) by HKDF for one purpose, with a label in its protected header
 * that opening must name again, so a sealed value cannot be passed off as another row's (or another purpose's).
 */
export class SecretSeal {
  private readonly key: Uint8Array;

  constructor(serverKey: Buffer, purpose: string) {
    this.key = new Uint8Array(hkdfSync('sha256', serverKey, new Uint8Array(0), purpose, 32));
  }

  seal(plaintext: string, label: string): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(plaintext))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', kid: label })
      .encrypt(this.key);
  }

  /** The plaintext; throws `SealOpenError` when `stored` was not sealed by this seal for `label`. */
  async open(stored: string, label: string): Promise<string> {
    const { plaintext, protectedHeader } = await compactDecrypt(stored, this.key).catch((err: unknown) => {
      throw new SealOpenError('key', { cause: err });
    });
    if (protectedHeader.kid !== label) throw new SealOpenError('label');
    return new TextDecoder().decode(plaintext);
  }
}
