import type { SigningAlgorithm } from '../oidc/signing-algorithms.js';

/**
 * Client types as the developer console offers them (spec §1.1) and what each may do at the token endpoint.
 */
export const CLIENT_TYPES = ['server', 'client', 'mobile', 'device', 'self'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

/** What a client's access tokens are: Zoho's opaque `1000.…` strings (the default), or RFC 9068 JWTs. */
export const ACCESS_TOKEN_FORMATS = ['opaque', 'jwt'] as const;
export type AccessTokenFormat = (typeof ACCESS_TOKEN_FORMATS)[number];

export interface Client {
  clientId: string;
  /** Null: registered dynamically without an owner (RFC 7591 open registration, or an unowned initial access token). */
  ownerZuid: string | null;
  type: ClientType;
  name: string;
  homepage: string | null;
  /** Exact strings; matched byte for byte (RFC 9700 §4.1.3). */
  redirectUris: string[];
  jsDomains: string[];
  /** OpenID Connect RP-Initiated Logout: where the logout endpoint may send the browser back to; matched exactly. */
  postLogoutRedirectUris: string[];
  /** OpenID Connect Back-Channel Logout: where a logout token is POSTed when a user's session ends; null: none. */
  backchannelLogoutUri: string | null;
  /** The client needs `sid` in logout tokens (Gatehouse always sends it with `sub`; kept as registered). */
  backchannelLogoutSessionRequired: boolean;
  /** OpenID Connect Dynamic Client Registration §2: what its id_tokens (and logout tokens) are signed with. */
  idTokenSignedResponseAlg: SigningAlgorithm;
  /** The same: what its userinfo responses are signed with; null: plain JSON userinfo (the default). */
  userinfoSignedResponseAlg: SigningAlgorithm | null;
  /** Keyed hash of the secret; null for clients that have none (client-based apps). */
  secretHash: string | null;
  /**
   * RFC 9449 §5.2 `dpop_bound_access_tokens`: every token request must carry a DPoP proof, so every access token the
   * client gets is bound to a key it holds.
   */
  dpopBoundAccessTokens: boolean;
  /**
   * How the client authenticates at the token, revocation and introspection endpoints (RFC 7591 §2); absent: a secret
   * client's `client_secret_basic` (which also admits `client_secret_post`, as Zoho's clients send either).
   */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod;
  /** The client's public keys for `private_key_jwt` and signed request objects, given inline (a JWK Set)… */
  jwks?: ClientJwks | null;
  /** …or by reference (https; http on loopback only). At most one of the two. */
  jwksUri?: string | null;
  /** RFC 9101 §10.5: authorization requests must come as a signed request object. */
  requireSignedRequestObject?: boolean;
  /**
   * The client secret sealed (`SecretSeal`), kept only while the method is `client_secret_jwt`, which needs the secret
   * itself to check an HMAC; every other client has only `secretHash`. Written when the secret is generated.
   */
  sealedSecret?: string | null;
  /** RFC 9068 JWT access tokens, or opaque ones; either is stored, introspected and revoked alike. */
  accessTokenFormat: AccessTokenFormat;
  /**
   * RFC 9126 §6 `require_pushed_authorization_requests`: the authorization endpoint takes this client's requests only
   * through a request_uri from the pushed authorization request endpoint.
   */
  requirePushedAuthorizationRequests: boolean;
  createdAt: number;
  updatedAt: number;
  /**
   * Multi-DC (spec §1.2): the DC the client was created in (null or absent: the primary) and the other DCs enabled in
   * its Settings tab. Its client_id and its one secret are the same in all of them.
   */
  homeDc?: string | null;
  otherDcs?: readonly string[];
}

export const TOKEN_ENDPOINT_AUTH_METHODS = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
] as const;
export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** A JWK Set document (RFC 7517 §5) holding public keys only. */
export interface ClientJwks {
  keys: Array<Record<string, unknown>>;
}

/** The method a client is registered for; clients from before the setting use their secret (or none, a JS app). */
export function registeredAuthMethod(client: Client): TokenEndpointAuthMethod {
  return client.tokenEndpointAuthMethod ?? (hasSecret(client.type) ? 'client_secret_basic' : 'none');
}

/** The DCs a client may be used in: its home DC and those enabled in its Multi-DC settings (null: the primary). */
export function clientDataCenters(client: Client): (string | null)[] {
  return [client.homeDc ?? null, ...(client.otherDcs ?? [])];
}

/** Which grant types each client type may use (spec §1.1, §3.4, §4). */
const GRANTS_BY_TYPE: Record<ClientType, ReadonlySet<string>> = {
  server: new Set(['authorization_code', 'refresh_token']),
  client: new Set(['authorization_code', 'refresh_token']),
  mobile: new Set(['authorization_code', 'refresh_token']),
  device: new Set(['refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'device_token']),
  self: new Set(['authorization_code', 'refresh_token', 'client_credentials']),
};

export function clientMayUseGrant(client: Client, grantType: string): boolean {
  return GRANTS_BY_TYPE[client.type].has(grantType);
}

/**
 * How a client authenticates (RFC 6749 §2.3): client-based (JavaScript) apps have no secret; mobile apps may run as
 * public clients when they use PKCE (spec §2.3 recommendation); every other type must present its secret.
 */
export type SecretPolicy = 'required' | 'optional' | 'none';
export function secretPolicy(type: ClientType): SecretPolicy {
  if (type === 'client') return 'none';
  if (type === 'mobile') return 'optional';
  return 'required';
}

export function hasSecret(type: ClientType): boolean {
  return secretPolicy(type) !== 'none';
}
