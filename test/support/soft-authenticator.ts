import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/** What the authenticator and its browser claim; each test can make one of them wrong. */
export interface Claims {
  origin: string;
  rpId: string;
  /** The UV flag (user verified by PIN or biometric). */
  userVerified?: boolean;
}

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');
const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();

/**
 * A software WebAuthn authenticator for HTTP tests: an ES256 key, "none" attestation, a signature counter the test
 * sets (0 for one that keeps none, as synced passkeys do). It answers the options Gatehouse serves with the JSON
 * `@simplewebauthn/browser` would send, so the server's checks run on real signatures.
 */
export class SoftAuthenticator {
  readonly credentialId = b64url(randomBytes(16));
  private readonly privateKey: KeyObject;
  private readonly cosePublicKey: Uint8Array;
  private userHandle: string | undefined;
  /** The count the next signature carries; a test sets it back to play a cloned authenticator. */
  counter: number;

  constructor(options: { counter?: number } = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    const jwk = publicKey.export({ format: 'jwk' });
    this.cosePublicKey = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    this.counter = options.counter ?? 0;
  }

  /** The answer to registration options (`navigator.credentials.create`). */
  register(options: { challenge: string; user: { id: string } }, claims: Claims): string {
    this.userHandle = options.user.id;
    const credentialId = Buffer.from(this.credentialId, 'base64url');
    const attested = Buffer.concat([
      Buffer.alloc(16), // AAGUID: none
      Buffer.from([credentialId.length >> 8, credentialId.length & 0xff]),
      credentialId,
      Buffer.from(this.cosePublicKey),
    ]);
    const authData = this.authenticatorData(claims, 0x40, attested);
    const attestationObject = isoCBOR.encode(
      new Map<string, unknown>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]) as never,
    );
    return JSON.stringify({
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON: this.clientData('webauthn.create', options.challenge, claims),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
    });
  }

  /** The answer to authentication options (`navigator.credentials.get`), signed with this key. */
  authenticate(options: { challenge: string }, claims: Claims): string {
    const authData = this.authenticatorData(claims, 0, Buffer.alloc(0));
    const clientDataJSON = this.clientData('webauthn.get', options.challenge, claims);
    const signature = sign('sha256', Buffer.concat([authData, sha256(Buffer.from(clientDataJSON, 'base64url'))]), this.privateKey);
    return JSON.stringify({
      id: this.credentialId,
      rawId: this.credentialId,
      type: 'public-key',
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      clientExtensionResults: {},
    });
  }

  private authenticatorData(claims: Claims, extraFlags: number, attested: Buffer): Buffer {
    const flags = 0x01 | (claims.userVerified === false ? 0 : 0x04) | extraFlags;
    const count = Buffer.alloc(4);
    count.writeUInt32BE(this.counter);
    return Buffer.concat([sha256(claims.rpId), Buffer.from([flags]), count, attested]);
  }

  private clientData(type: string, challenge: string, claims: Claims): string {
    return b64url(Buffer.from(JSON.stringify({ type, challenge, origin: claims.origin, crossOrigin: false })));
  }
}
