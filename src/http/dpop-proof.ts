import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PresentedProof, TokenRequestProofs } from '../core/dpop/token-request-proof.js';

/**
 * The DPoP proof a token request presented, for the endpoint at `path`: every `DPoP` header (two are refused), the
 * method, and the endpoint's public URL from the issuer (never the Host header). A request without one costs a header
 * read and nothing else.
 */
export function presentedProof(request: FastifyRequest, issuer: string, path: string): PresentedProof | undefined {
  if (request.headers.dpop === undefined) return undefined;
  return { headers: request.raw.headersDistinct.dpop ?? [], method: request.method, url: issuer + path };
}

/** RFC 9449 §8.2: a DPoP answer carries the nonce for the client's next proof, when nonces are on. */
export function offerNextNonce(reply: FastifyReply, proofs: TokenRequestProofs): void {
  const nonce = proofs.nextNonce();
  if (nonce !== undefined) reply.header('dpop-nonce', nonce);
}
