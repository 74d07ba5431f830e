/**
 * Client types as the developer console offers them (spec §1.1) and what each may do at the token endpoint.
 */
export const CLIENT_TYPES = ['server', 'client', 'mobile', 'device', 'self'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

export interface Client {
  clientId: string;
  ownerZuid: string;
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
  /** Keyed hash of the secret; null for clients that have none (client-based apps). */
  secretHash: string | null;
  createdAt: number;
  updatedAt: number;
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
