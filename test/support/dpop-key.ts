import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { accessTokenHash } from '@gatehouse/resource-server';

/** The claims and header of one proof; each can be overridden to break exactly one rule. */
export interface ProofFields {
  htm: string;
  htu: string;
  /** The access token whose hash goes in `ath`. */
  accessToken?: string;
  nonce?: string;
  /** Epoch seconds; now by default. */
  iat?: number;
  jti?: string;
  typ?: string;
  /** A JWK header other than the key's public one (a private key, say). */
  jwk?: JWK;
}

/** A client's DPoP key pair, making proofs (RFC 9449 §4.2) as a client library would, with an optional clock. */
export class DpopKey {
  private constructor(
    private readonly privateKey: CryptoKey,
    readonly publicJwk: JWK,
    readonly privateJwk: JWK,
    readonly alg: string,
  ) {}

  static async generate(alg: 'ES256' | 'EdDSA' | 'RS256' | 'PS256' = 'ES256'): Promise<DpopKey> {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    return new DpopKey(privateKey, await exportJWK(publicKey), await exportJWK(privateKey), alg);
  }

  proof(fields: ProofFields, now = Date.now()): Promise<string> {
    return new SignJWT({
      htm: fields.htm,
      htu: fields.htu,
      jti: fields.jti ?? randomUUID(),
      ...(fields.accessToken === undefined ? {} : { ath: accessTokenHash(fields.accessToken) }),
      ...(fields.nonce === undefined ? {} : { nonce: fields.nonce }),
    })
      .setProtectedHeader({ typ: fields.typ ?? 'dpop+jwt', alg: this.alg, jwk: fields.jwk ?? this.publicJwk })
      .setIssuedAt(fields.iat ?? Math.floor(now / 1000))
      .sign(this.privateKey);
  }
}
