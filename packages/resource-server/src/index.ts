/**
 * @gatehouse/resource-server: accept Gatehouse (and Zoho-style) access tokens in any Node API.
 * Framework glue lives in the subpath exports: `/node`, `/express`, `/fastify`, `/hono`.
 */
export type { ProtectOptions } from './adapters/options.js';
export { accessTokenOf, readAccessToken } from './bearer.js';
export {
  accessTokenHash,
  DPOP_ALGORITHMS,
  DPOP_PROOF_WINDOW_SECONDS,
  DpopProofError,
  DpopVerifier,
  MemoryReplayCache,
  type DpopErrorCode,
  type DpopVerifierOptions,
  type ProofExpectations,
  type ReplayCache,
  type VerifiedProof,
} from './dpop.js';
export { ResourceError, type ResourceErrorCode, type TokenScheme, type ZohoErrorBody } from './errors.js';
export { checkToken, guard, scopesCover, type DpopAcceptance, type GuardOptions, type Presented, type ResourceRequest } from './guard.js';
export { introspectionVerifier, type IntrospectionOptions } from './introspection.js';
export { jwtVerifier, revocationChecked, type JwtVerifierOptions } from './jwt.js';
export {
  anyCovers,
  covers,
  formatScopes,
  OPERATIONS,
  parseOperation,
  parseScopeName,
  splitScopeList,
  type Operation,
  type Scope,
} from './scope-grammar.js';
export type { TokenInfo, TokenVerifier } from './token-info.js';
