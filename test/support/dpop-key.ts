import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { accessTokenHash } from '@gatehouse/resource-server';
import type { Harness, JsonResponse, RegisteredTestClient } from './harness.js';

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

/** The harness's token endpoint as proofs name it: the issuer's URL, not the address the test connects to. */
export const TOKEN_URL = 'http://gatehouse.test/oauth/v2/token';

/**
 * A token request with a DPoP proof, as a DPoP client sends it: on `use_dpop_nonce` it retries once with the nonce the
 * answer carried (RFC 9449 §8). `firstNonce` is the nonce the first proof carries.
 */
export async function dpopTokenRequest(h: Harness, key: DpopKey, form: Record<string, string>, firstNonce?: string): Promise<JsonResponse> {
  const send = async (nonce: string | undefined) =>
    h.post('/oauth/v2/token', form, {
      headers: { dpop: await key.proof({ htm: 'POST', htu: TOKEN_URL, ...(nonce ? { nonce } : {}) }, h.clock.now()) },
    });
  const first = await send(firstNonce);
  if (first.body?.error !== 'use_dpop_nonce') return first;
  return send(first.headers.get('dpop-nonce')!);
}

/** A fresh Self Client, and the client_credentials form that asks for its token. */
export async function selfClientForm(
  h: Harness,
  scope = 'ZohoCRM.modules.ALL',
): Promise<{ client: RegisteredTestClient; form: Record<string, string> }> {
  const client = await h.client(await h.user(), 'self');
  return { client, form: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret!, scope } };
}

/** A fresh Self Client's client_credentials token bound to `key`. */
export async function boundToken(h: Harness, key: DpopKey, scope = 'ZohoCRM.modules.ALL,ZohoCRM.users.READ'): Promise<string> {
  const res = await dpopTokenRequest(h, key, (await selfClientForm(h, scope)).form);
  if (res.body?.token_type !== 'DPoP') throw new Error(`no DPoP token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}
