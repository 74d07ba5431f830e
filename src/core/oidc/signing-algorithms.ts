/**
 * The JWS algorithms Gatehouse signs its own tokens with (id_tokens, logout tokens, signed userinfo). RS256 is the
 * default for everything, as OpenID Connect Core §15.1 requires every OP to support it; ES256 (P-256) and EdDSA
 * (Ed25519) are for clients that register them (`id_token_signed_response_alg`, `userinfo_signed_response_alg`).
 */
export const SIGNING_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

export const DEFAULT_SIGNING_ALGORITHM: SigningAlgorithm = 'RS256';

export function isSigningAlgorithm(value: unknown): value is SigningAlgorithm {
  return (SIGNING_ALGORITHMS as readonly unknown[]).includes(value);
}

/** How `jose.generateKeyPair` makes a key for each algorithm (EdDSA: Ed25519, jose's default curve for it). */
export const KEY_GENERATION: Record<SigningAlgorithm, { modulusLength?: number; crv?: string }> = {
  RS256: { modulusLength: 2048 },
  ES256: {},
  EdDSA: { crv: 'Ed25519' },
};
