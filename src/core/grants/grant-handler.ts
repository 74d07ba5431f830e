import type { VerifiedProof } from '@gatehouse/resource-server';
import type { AuthenticatedClient } from '../clients/authenticate-client.js';
import type { GatehouseConfig } from '../config/config.js';
import type { RateLimiter } from '../limits/rate-limiter.js';
import type { GatehouseEvents } from '../observability/events.js';
import type { DataCenter } from '../datacenters/data-centers.js';
import type { SigningKeys } from '../oidc/signing-keys.js';
import type { ParameterDefinition } from '../params/definitions.js';
import type { RequestParams } from '../params/request-params.js';
import type { ScopeRegistry } from '../scopes/registry.js';
import type { CredentialHasher } from '../tokens/credential-hasher.js';
import type { TokenIssuer } from '../tokens/token-issuer.js';
import type { ResourceIndicators } from '../tokens/resource-indicators.js';
import type { TokenResponse, TokenResponseField } from '../tokens/token-response.js';
import type { StoreOf } from '../store.js';

/** What every grant may use; a grant takes only what it needs from here. */
export interface GrantDeps {
  /** The repositories the grants read and write, also in the transactions that issue tokens. */
  storage: StoreOf<'codes' | 'users' | 'tokens' | 'deviceAuthorizations' | 'organisations'>;
  issuer: TokenIssuer;
  /** RFC 8707: the resources clients may name, and the `resource` checks of the token request. */
  resources: ResourceIndicators;
  hasher: CredentialHasher;
  scopes: ScopeRegistry;
  config: GatehouseConfig;
  rateLimiter: RateLimiter;
  signingKeys: SigningKeys;
  now: () => number;
  events: GatehouseEvents;
}

/**
 * One grant type of the token endpoint (RFC 6749 §4). The endpoint has already authenticated the client and checked
 * that its type may use this grant, and that the grant's required `parameters` are present; the handler does the rest.
 */
export interface GrantHandler {
  readonly grantType: string;
  /** The parameters of this grant besides grant_type and the client's credentials. */
  readonly parameters: readonly ParameterDefinition[];
  /** The fields its success response may carry. */
  readonly returns: readonly TokenResponseField[];
  /**
   * `at`: the DC whose accounts server was called (spec §9), where the grant must belong; `proof`: the request's verified
   * DPoP proof, whose key the access token is bound to (RFC 9449 §5).
   */
  handle(
    params: RequestParams,
    caller: AuthenticatedClient,
    deps: GrantDeps,
    at: DataCenter,
    proof?: VerifiedProof,
  ): Promise<TokenResponse>;
}
