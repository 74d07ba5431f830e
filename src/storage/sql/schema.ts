import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Times are epoch milliseconds (`bigint`); booleans are 0/1 integers so one
 * implementation serves SQLite and PostgreSQL alike.
 */
export interface Database {
  users: UsersTable;
  clients: ClientsTable;
  authorization_codes: AuthorizationCodesTable;
  refresh_tokens: RefreshTokensTable;
  access_tokens: AccessTokensTable;
  sessions: SessionsTable;
  consents: ConsentsTable;
  consent_scopes: ConsentScopesTable;
  interactions: InteractionsTable;
  device_authorizations: DeviceAuthorizationsTable;
  signing_keys: SigningKeysTable;
  records: RecordsTable;
  settings: SettingsTable;
  api_tokens: ApiTokensTable;
  mfa_totp: MfaTotpTable;
  mfa_recovery_codes: MfaRecoveryCodesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  audit_events: AuditEventsTable;
  scope_enhancement_tokens: ScopeEnhancementTokensTable;
  pushed_requests: PushedRequestsTable;
  client_registrations: ClientRegistrationsTable;
  initial_access_tokens: InitialAccessTokensTable;
  organisations: OrganisationsTable;
  organisation_members: OrganisationMembersTable;
}

export interface UsersTable {
  zuid: string;
  email: string;
  password_hash: string;
  first_name: string;
  last_name: string;
  display_name: string;
  is_admin: number;
  must_change_password: number;
  created_at: number;
  disabled: Generated<number>;
  /** The home data centre's location; null: the primary (0013). */
  dc: string | null;
}

export interface ClientsTable {
  client_id: string;
  /** Null since 0021_registration: a client registered dynamically without an owner. */
  owner_zuid: string | null;
  type: string;
  name: string;
  homepage: string | null;
  /** JSON array of strings. */
  redirect_uris: string;
  /** JSON array of strings. */
  js_domains: string;
  secret_hash: string | null;
  /** 1: every token request must carry a DPoP proof. */
  dpop_bound_access_tokens: Generated<number>;
  /** Added by 0022_signing_algorithms: RS256, ES256 or EdDSA. */
  id_token_signed_response_alg: Generated<string>;
  /** Added by 0022_signing_algorithms: null for plain JSON userinfo. */
  userinfo_signed_response_alg: string | null;
  require_pushed_authorization_requests: Generated<number>;
  created_at: number;
  updated_at: number;
  /** Added by 0012_client_logout: JSON array of strings. */
  post_logout_redirect_uris: Generated<string>;
  backchannel_logout_uri: string | null;
  backchannel_logout_session_required: Generated<number>;
  /** Multi-DC (0013): the home DC (null: the primary) and the other DCs it may be used in, a JSON list. */
  home_dc: string | null;
  other_dcs: Generated<string>;
  /** 0019_client_jwt: null for clients from before it (their secret, or none for a client-based app). */
  token_endpoint_auth_method: string | null;
  /** A JWK Set, JSON. */
  jwks: string | null;
  jwks_uri: string | null;
  require_signed_request_object: Generated<number>;
  /** The secret sealed (`SecretSeal`), for `client_secret_jwt` clients only. */
  sealed_secret: string | null;
  /** 0020: `opaque` or `jwt` (RFC 9068). */
  access_token_format: Generated<string>;
}

export interface AuthorizationCodesTable {
  id: string;
  client_id: string;
  user_zuid: string;
  scopes: string;
  redirect_uri: string | null;
  code_challenge: string | null;
  code_challenge_method: string | null;
  nonce: string | null;
  /** Added by 0010_mfa. */
  amr: string | null;
  /** Added by 0012_client_logout: the id_token's `sid`. */
  sid: string | null;
  /** Added by 0016_oidc_auth; null for Self Client codes and codes issued before it. */
  auth_time: number | null;
  offline: number;
  kind: string;
  description: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  /** The user's DC (0013); null: the primary. */
  dc: string | null;
  /** 0020: the RFC 8707 resources the code grants, space separated; null: none asked for. */
  resources: string | null;
  /** 0025: the organisation an org-wide grant acts for; null: the user's own. */
  org_id: string | null;
}

export interface RefreshTokensTable {
  /** Insertion order: "the oldest" of the 20-per-pair rule is the lowest seq, never a clock tie. */
  seq: Generated<number>;
  id: string;
  client_id: string;
  user_zuid: string;
  scopes: string;
  origin_code_id: string | null;
  /** The DPoP key thumbprint a public client's refresh token is bound to; null when unbound. */
  jkt: string | null;
  created_at: number;
  dc: string | null;
  /** 0020: the RFC 8707 resources it grants, space separated; null: none asked for. */
  resources: string | null;
  /** 0025: the organisation an org-wide grant acts for; null: the user's own. */
  org_id: string | null;
  /** 0026: the sign-in the grant was made in (its code's); null when none (Self Client, device, seed, older rows). */
  amr: string | null;
  auth_time: number | null;
  sid: string | null;
}

export interface AccessTokensTable {
  seq: Generated<number>;
  id: string;
  client_id: string;
  user_zuid: string;
  scopes: string;
  refresh_token_id: string | null;
  origin_code_id: string | null;
  /** The DPoP key thumbprint the token is bound to (`cnf.jkt`); null for a bearer token. */
  jkt: string | null;
  created_at: number;
  expires_at: number;
  dc: string | null;
  /** 0020: the audiences it is restricted to (RFC 8707), space separated; null: unrestricted. */
  audience: string | null;
  /** 0025: the organisation an org-wide grant acts for; null: the user's own. */
  org_id: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface ApiTokensTable {
  id: string;
  user_zuid: string;
  name: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_zuid: string;
  created_at: number;
  expires_at: number;
  /** Added by 0010_mfa; null for sessions begun before it (a password). */
  amr: string | null;
  /** Added by 0012_client_logout, which gave every session then live a random one: never null. */
  sid: string;
}

export interface ConsentsTable {
  user_zuid: string;
  client_id: string;
  first_granted_at: number;
  last_granted_at: number;
}

export interface ConsentScopesTable {
  user_zuid: string;
  client_id: string;
  scope: string;
}

export interface ScopeEnhancementTokensTable {
  id: string;
  client_id: string;
  refresh_token_id: string;
  created_at: number;
  expires_at: number;
}

export interface InteractionsTable {
  id: string;
  user_zuid: string;
  client_id: string;
  request: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  private_key: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface RecordsTable {
  id: string;
  module: string;
  owner_zuid: string;
  /** JSON object of field values. */
  data: string;
  created_at: number;
  modified_at: number;
}

export interface DeviceAuthorizationsTable {
  id: string;
  user_code_key: string;
  client_id: string;
  scopes: string;
  offline: number;
  status: string;
  user_zuid: string | null;
  created_at: number;
  expires_at: number;
  last_polled_at: number | null;
  consumed_at: number | null;
}

export interface MfaTotpTable {
  user_zuid: string;
  /** Sealed under the server key (`SecretSeal`). */
  secret: string;
  created_at: number;
  last_used_at: number | null;
  last_step: number;
}

export interface MfaRecoveryCodesTable {
  user_zuid: string;
  /** Keyed hash of the code. */
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  at: number;
  type: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  user_zuid: string | null;
  client_id: string | null;
  subject: string | null;
  address: string | null;
  outcome: string;
  detail: string | null;
}

export interface PasskeysTable {
  credential_id: string;
  user_zuid: string;
  /** COSE public key, base64url. */
  public_key: string;
  counter: number;
  /** Comma-separated. */
  transports: string;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

export interface PasskeyChallengesTable {
  /** Keyed hash of the challenge. */
  id: string;
  purpose: string;
  user_zuid: string | null;
  expires_at: number;
}

export interface PushedRequestsTable {
  /** Keyed hash of the request_uri's random part. */
  id: string;
  client_id: string;
  /** The validated authorization request, as JSON. */
  request: string;
  expires_at: number;
}

/** 0021_registration: a dynamically registered client's RFC 7592 credential and the metadata kept only for it. */
export interface ClientRegistrationsTable {
  client_id: string;
  /** Keyed hash of the registration access token. */
  token_hash: string;
  /** JSON object: the registration-only metadata (see core/registration/client-metadata.ts). */
  metadata: string;
  created_at: number;
}

/** 0021_registration: RFC 7591 initial access tokens, created by the CLI; `id` is the token's keyed hash. */
export interface InitialAccessTokensTable {
  id: string;
  /** Public, unique: how the token is listed and revoked. */
  label: string;
  owner_zuid: string | null;
  created_at: number;
  expires_at: number | null;
  used_at: number | null;
}

export interface OrganisationsTable {
  id: string;
  name: string;
  /** The data centre's location; null: the primary. */
  dc: string | null;
  created_at: number;
}

export interface OrganisationMembersTable {
  org_id: string;
  user_zuid: string;
  /** `admin` or `user`. */
  role: string;
  added_at: number;
}
