import type { Client } from '../clients/client.js';
import type { GatehouseConfig } from '../config/config.js';
import { ClientGoneError } from '../errors/client-gone-error.js';
import { invalidClient, invalidGrant } from '../errors/oauth-error.js';
import { formatScopes, type Scope, type VerifiedProof } from '@gatehouse/resource-server';
import type { AuthenticatedClient } from '../clients/authenticate-client.js';
import type { GrantHolder, GrantSignIn, RefreshToken, TokenRepository } from './token-repository.js';
import type { Transaction } from '../store.js';
import type { CredentialHasher } from './credential-hasher.js';
import { newOpaqueToken } from './identifiers.js';
import type { ActiveKey, SigningKeys } from '../oidc/signing-keys.js';
import { signJwtAccessToken } from './jwt-access-token.js';
import { apiDomainOf } from '../datacenters/api-domain.js';

export interface IssueRequest {
  client: Client;
  userZuid: string;
  scopes: readonly Scope[];
  /** `new` mints a refresh token too; a RefreshToken issues the access token under it; `none` issues neither. */
  refresh: 'new' | RefreshToken | 'none';
  /** The code the tokens come from, so a replay of it can revoke them. */
  originCodeId: string | null;
  /** The DC the tokens belong to: their user's home DC (spec §9); null or absent: the primary. */
  dc?: string | null;
  /** Binds the tokens to a DPoP key (see `dpopBinding`); absent for bearer tokens. */
  dpop?: DpopBinding;
  /** RFC 8707: the audiences the access token is restricted to (space-separated URIs); absent: unrestricted. */
  audience?: string | undefined;
  /** RFC 8707: the resources a new refresh token grants (space-separated URIs); absent: none asked for. */
  resources?: string | undefined;
  /**
   * The key a JWT access token is signed with, taken before the caller's transaction (`jwtSigningKey`): a SQLite
   * transaction holds the one connection, so the key cannot be read from the store inside it. Absent for opaque tokens.
   */
  signingKey?: ActiveKey | undefined;
  /**
   * How and when the user signed in, when the grant knows it: a JWT access token's `amr`, `acr` and `auth_time`, and
   * kept with a new refresh token so that its refreshes say the same (OpenID Connect Core §12.2).
   */
  authentication?: GrantSignIn | undefined;
  /** The client acts for itself (client_credentials): a JWT access token's `sub` is the client (RFC 9068 §2.2). */
  subjectIsClient?: boolean;
  /**
   * The organisation the tokens act for (an org-wide grant, or a Self Client's `soid`); absent: the user's own. An
   * org's refresh tokens count toward the 20-per-pair limit of (organisation, client), not of the administrator.
   */
  orgId?: string | undefined;
}

/**
 * The lock that serialises a (holder, client) pair's new refresh tokens, so the 20-per-pair limit counts each of
 * several parallel grants (spec §6).
 */
export function refreshPairLock(holder: GrantHolder, clientId: string): string {
  return 'orgId' in holder ? `refresh:org:${holder.orgId}:${clientId}` : `refresh:${holder.userZuid}:${clientId}`;
}

/** RFC 9449 §5: what a verified proof binds. */
export interface DpopBinding {
  /** The proof key's thumbprint: the access token's `cnf.jkt`. */
  jkt: string;
  /** Whether a new refresh token is bound too. */
  bindRefreshToken: boolean;
}

/**
 * The binding a token request's proof asks for: the access token always; a new refresh token only for a public
 * client, which has no other way to show it is the token's holder (a confidential client's is bound to its
 * credentials already, RFC 9449 §5).
 */
export function dpopBinding(proof: VerifiedProof | undefined, caller: AuthenticatedClient): DpopBinding | undefined {
  return proof && { jkt: proof.jkt, bindRefreshToken: caller.method === 'none' };
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  scopes: readonly Scope[];
  expiresIn: number;
  /** The key the access token is bound to; the response's `token_type` is then DPoP. */
  jkt?: string;
  /** The DC they belong to, whose `api_domain` the response names. */
  dc: string | null;
}

/**
 * Mints tokens and persists them inside the caller's transaction, applying the per-pair and per-refresh-token limits
 * (spec §6) in the same transaction: a token is never handed out that the store does not hold.
 */
export class TokenIssuer {
  constructor(
    private readonly hasher: CredentialHasher,
    private readonly config: GatehouseConfig,
    private readonly now: () => number,
    private readonly signingKeys: Pick<SigningKeys, 'signing'>,
  ) {}

  /**
   * The key the client's access tokens are signed with, for `IssueRequest.signingKey`: undefined at once (no promise)
   * for a client of opaque tokens, so their requests pay nothing for JWTs.
   */
  jwtSigningKey(client: Client): Promise<ActiveKey> | undefined {
    return client.accessTokenFormat === 'jwt' ? this.signingKeys.signing() : undefined;
  }

  async issue(tx: Pick<Transaction, 'tokens' | 'lock'>, request: IssueRequest): Promise<IssuedTokens> {
    const now = this.now();
    const scopes = formatScopes(request.scopes);
    const { client, userZuid, orgId } = request;
    const { refreshTokens: refreshLimit, accessTokens: accessLimit } = this.config.limits;

    let refreshTokenId: string | null = null;
    let refreshToken: string | undefined;
    if (request.refresh === 'new') {
      refreshToken = newOpaqueToken();
      refreshTokenId = this.hasher.storageKey(refreshToken);
      const holder: GrantHolder = orgId === undefined ? { userZuid } : { orgId };
      if (refreshLimit !== null) await tx.lock(refreshPairLock(holder, client.clientId));
      await tx.tokens.createRefreshToken({
        id: refreshTokenId,
        clientId: client.clientId,
        userZuid,
        scopes,
        originCodeId: request.originCodeId,
        jkt: request.dpop?.bindRefreshToken ? request.dpop.jkt : null,
        createdAt: now,
        dc: request.dc ?? null,
        ...(request.resources === undefined ? {} : { resources: request.resources }),
        ...(orgId === undefined ? {} : { orgId }),
        ...(knowsSignIn(request.authentication) ? { signIn: request.authentication } : {}),
      });
      // "The 21st refresh token will replace the first created refresh token" (Zoho), with its access tokens.
      if (refreshLimit !== null) await tx.tokens.evictRefreshTokens(holder, client.clientId, refreshLimit);
    } else if (request.refresh !== 'none') {
      refreshTokenId = request.refresh.id;
      if (accessLimit !== null) await tx.lock(`access:${refreshTokenId}`);
    }

    const accessToken = await this.storeAccessToken(tx.tokens, request, scopes, refreshTokenId, now);
    // Zoho keeps at most N live access tokens per refresh token; the oldest is invalidated.
    if (refreshTokenId !== null && accessLimit !== null) await tx.tokens.evictAccessTokens(refreshTokenId, accessLimit);

    const issued: IssuedTokens = {
      accessToken,
      ...(refreshToken ? { refreshToken } : {}),
      scopes: request.scopes,
      expiresIn: this.config.ttl.accessToken,
      dc: request.dc ?? null,
    };
    // Set only when bound: a bearer token's answer is built as before, with nothing added.
    if (request.dpop) issued.jkt = request.dpop.jkt;
    return issued;
  }

  /**
   * An access token alone, with no refresh token and so no limit to apply: one insert, atomic by itself, so it needs
   * no transaction. Given the store's own `tokens`, concurrent issues share a commit (`TokenRepository.createAccessToken`).
   */
  async issueAccessToken(tokens: TokenRepository, request: Omit<IssueRequest, 'refresh'>): Promise<IssuedTokens> {
    const accessToken = await this.storeAccessToken(tokens, request, formatScopes(request.scopes), null, this.now());
    const issued: IssuedTokens = { accessToken, scopes: request.scopes, expiresIn: this.config.ttl.accessToken, dc: request.dc ?? null };
    // Set only when bound: a bearer token's answer is built as before, with nothing added.
    if (request.dpop) issued.jkt = request.dpop.jkt;
    return issued;
  }

  /**
   * Mints and stores the access token; the token itself is returned. A JWT is stored under the keyed hash of the whole
   * JWT (the form `CredentialHasher.presentedKeys` tries last), not under its `jti`: the `jti` is readable by anyone
   * who sees the token or a resource server's log, and a store key must be as unguessable as the token itself.
   */
  private async storeAccessToken(
    tokens: TokenRepository,
    request: Omit<IssueRequest, 'refresh'>,
    scopes: string,
    refreshTokenId: string | null,
    now: number,
  ): Promise<string> {
    const expiresAt = now + this.config.ttl.accessToken * 1000;
    const jwt = request.client.accessTokenFormat === 'jwt';
    const accessToken = jwt ? await this.signJwt(request, scopes, now, expiresAt) : newOpaqueToken();
    const stored = await tokens
      .createAccessToken({
        id: jwt ? this.hasher.hash(accessToken) : this.hasher.storageKey(accessToken),
        clientId: request.client.clientId,
        userZuid: request.userZuid,
        scopes,
        refreshTokenId,
        originCodeId: request.originCodeId,
        jkt: request.dpop?.jkt ?? null,
        createdAt: now,
        expiresAt,
        dc: request.dc ?? null,
        audience: request.audience,
        ...(request.orgId === undefined ? {} : { orgId: request.orgId }),
      })
      .catch(answerGoneClientAsUnknown);
    // The user was disabled (or deleted) after the grant was checked: the throw rolls back a refresh token made before.
    if (!stored) throw invalidGrant('user_disabled', 'The account this grant acts for is disabled.');
    return accessToken;
  }

  /**
   * RFC 9068 §2.2: `iss` is the token's DC's accounts server; `aud` the restricted audience, or else (§3: a default
   * resource) the DC's `api_domain`, where the sample APIs are.
   */
  private signJwt(request: Omit<IssueRequest, 'refresh'>, scope: string, issuedAt: number, expiresAt: number): Promise<string> {
    const dc = request.dc ?? null;
    const dataCenters = this.config.dataCenters;
    const key = request.signingKey;
    if (key === undefined) throw new Error('A JWT access token is signed with a key taken before the transaction (jwtSigningKey).');
    return signJwtAccessToken(
      {
        issuer: (dataCenters.of(dc) ?? dataCenters.primary).issuer,
        audience: request.audience ?? apiDomainOf(dc, this.config),
        subject: request.subjectIsClient ? request.client.clientId : request.userZuid,
        clientId: request.client.clientId,
        scope,
        issuedAt,
        expiresAt,
        jkt: request.dpop?.jkt,
        authentication: request.authentication,
        orgId: request.orgId,
      },
      key,
    );
  }
}

/** Whether a grant's sign-in says anything (a Self Client code's says nothing: it had no browser sign-in). */
function knowsSignIn(signIn: GrantSignIn | undefined): signIn is GrantSignIn {
  return signIn !== undefined && (signIn.amr !== null || signIn.authTime !== null || signIn.sid !== null);
}

/** A client deleted after it authenticated (here or, within the cache bound, on another node) is no client at all. */
function answerGoneClientAsUnknown(err: unknown): never {
  if (err instanceof ClientGoneError) throw invalidClient('client_unknown', 'No application is registered with this client_id.');
  throw err;
}
