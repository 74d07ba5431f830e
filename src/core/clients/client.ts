/**
 * Client types as the developer console offers them (spec §1.1) and what each may do at the token endpoint.
 */
export const CLIENT_TYPES = ['server', 'client', 'mobile', 'device', 'self'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];

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
  /** Keyed hash of the secret; null for clients that have none (client-based apps). */
  secretHash: string | null;
  /**
   * RFC 9449 §5.2 `dpop_bound_access_tokens`: every token request must carry a DPoP proof, so every access token the
   * client gets is bound to a key it holds.
   */
  dpopBoundAccessTokens: boolean;
  createdAt: number;
  updatedAt: number;
  /**
   * Multi-DC (spec §1.2): the DC the client was created in (null or absent: the primary) and the other DCs enabled in
   * its Settings tab. Its client_id and its one secret are the same in all of them.
   */
  homeDc?: string | null;
  otherDcs?: readonly string[];
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
