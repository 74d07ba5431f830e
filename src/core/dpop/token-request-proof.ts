import { DpopProofError, type DpopVerifier, type VerifiedProof } from '@gatehouse/resource-server';
import { invalidDpopProof, useDpopNonce } from '../errors/oauth-error.js';
import type { DpopNonces } from './dpop-nonces.js';

/** What a token request presents for DPoP: every `DPoP` header it carried, and the request the proof must name. */
export interface PresentedProof {
  headers: readonly string[];
  method: string;
  /** The endpoint's public URL: the issuer's origin and the endpoint's path, never the request's Host header. */
  url: string;
}

/**
 * The token endpoint's DPoP check (RFC 9449 §5): the package's proof checker, with the server's nonces when they are
 * on, its failures in OAuth's words (`invalid_dpop_proof`, `use_dpop_nonce`).
 */
export class TokenRequestProofs {
  constructor(
    /** The proof checker, shared with the sample APIs so both use one replay cache. */
    readonly verifier: DpopVerifier,
    /** Undefined when nonces are off (`GATEHOUSE_DPOP_NONCE=off`). */
    private readonly nonces: DpopNonces | undefined,
  ) {}

  /** The nonce a successful DPoP answer carries for the client's next proof (§8.2), when nonces are on. */
  nextNonce(): string | undefined {
    return this.nonces?.current();
  }

  async check(presented: PresentedProof): Promise<VerifiedProof> {
    // §4.3 step 1: "there is not more than one DPoP HTTP request header field".
    if (presented.headers.length !== 1) throw invalidDpopProof('Send exactly one DPoP header.');
    const nonces = this.nonces;
    try {
      return await this.verifier.verify(presented.headers[0]!, {
        method: presented.method,
        url: presented.url,
        ...(nonces ? { nonceIsCurrent: (nonce: string | undefined) => nonces.isCurrent(nonce) } : {}),
      });
    } catch (err) {
      if (!(err instanceof DpopProofError)) throw err;
      throw err.code === 'use_dpop_nonce' ? useDpopNonce(nonces!.current()) : invalidDpopProof(err.message);
    }
  }
}
