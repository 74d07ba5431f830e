import type { Kysely, Selectable } from 'kysely';
import type { Client, ClientJwks, ClientType, TokenEndpointAuthMethod } from '../../core/clients/client.js';
import { DuplicateError } from '../../core/errors/duplicate-error.js';
import type { ClientRepository, RegistrationFields } from '../../core/clients/client-repository.js';
import type { SigningAlgorithm } from '../../core/oidc/signing-algorithms.js';
import { countRows } from './count-rows.js';
import { clientDataCenterFields } from './data-center-columns.js';
import { uniqueViolation } from './errors.js';
import type { HotQueries } from './hot-queries.js';
import type { ClientsTable, Database } from './schema.js';

export class SqlClientRepository implements ClientRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly hot: HotQueries,
  ) {}

  async create(client: Client): Promise<void> {
    try {
      await this.db
        .insertInto('clients')
        .values({
          client_id: client.clientId,
          owner_zuid: client.ownerZuid,
          type: client.type,
          name: client.name,
          homepage: client.homepage,
          redirect_uris: JSON.stringify(client.redirectUris),
          js_domains: JSON.stringify(client.jsDomains),
          ...logoutColumns(client),
          secret_hash: client.secretHash,
          sealed_secret: client.sealedSecret ?? null,
          ...keyColumns(client),
          dpop_bound_access_tokens: client.dpopBoundAccessTokens ? 1 : 0,
          access_token_format: client.accessTokenFormat,
          ...signingColumns(client),
          require_pushed_authorization_requests: client.requirePushedAuthorizationRequests ? 1 : 0,
          created_at: client.createdAt,
          updated_at: client.updatedAt,
          home_dc: client.homeDc ?? null,
          other_dcs: JSON.stringify(client.otherDcs ?? []),
        })
        .execute();
    } catch (err) {
      const constraint = uniqueViolation(err);
      if (constraint !== undefined)
        throw new DuplicateError(constraint.includes('owner_zuid') || constraint.includes('self') ? 'self_client' : 'id');
      throw err;
    }
  }

  async find(clientId: string): Promise<Client | undefined> {
    return this.hot.cached.clients.read(clientId, async () => {
      const [row] = (await this.hot.findClient.execute(this.db, clientId)).rows;
      return row && toClient(row);
    });
  }

  peek(clientId: string): Client | undefined {
    return this.hot.cached.clients.peek(clientId);
  }

  async listByOwner(ownerZuid: string): Promise<Client[]> {
    const rows = await this.db
      .selectFrom('clients')
      .selectAll()
      .where('owner_zuid', '=', ownerZuid)
      .orderBy('created_at')
      .orderBy('client_id')
      .execute();
    return rows.map(toClient);
  }

  async updateSecretHash(clientId: string, secretHash: string, now: number, sealedSecret: string | null = null): Promise<boolean> {
    const result = await this.db
      .updateTable('clients')
      .set({ secret_hash: secretHash, sealed_secret: sealedSecret, updated_at: now })
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateFields(clientId: string, fields: RegistrationFields, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('clients')
      .set({
        name: fields.name,
        homepage: fields.homepage,
        redirect_uris: JSON.stringify(fields.redirectUris),
        js_domains: JSON.stringify(fields.jsDomains),
        ...logoutColumns(fields),
        dpop_bound_access_tokens: fields.dpopBoundAccessTokens ? 1 : 0,
        ...keyColumns(fields),
        // The sealed secret is kept only while the method needs it.
        ...(fields.tokenEndpointAuthMethod === 'client_secret_jwt' ? {} : { sealed_secret: null }),
        access_token_format: fields.accessTokenFormat,
        ...signingColumns(fields),
        require_pushed_authorization_requests: fields.requirePushedAuthorizationRequests ? 1 : 0,
        updated_at: now,
      })
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async updateOtherDataCenters(clientId: string, otherDcs: readonly string[], now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('clients')
      .set({ other_dcs: JSON.stringify(otherDcs), updated_at: now })
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(clientId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('clients').where('client_id', '=', clientId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listAll(): Promise<Client[]> {
    return (await this.db.selectFrom('clients').selectAll().orderBy('created_at').orderBy('client_id').execute()).map(toClient);
  }

  count(): Promise<number> {
    return countRows(this.db, 'clients');
  }
}

function toClient(row: Selectable<ClientsTable>): Client {
  return {
    clientId: row.client_id,
    ownerZuid: row.owner_zuid,
    type: row.type as ClientType,
    name: row.name,
    homepage: row.homepage,
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    jsDomains: JSON.parse(row.js_domains) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: row.backchannel_logout_uri,
    backchannelLogoutSessionRequired: Number(row.backchannel_logout_session_required) === 1,
    secretHash: row.secret_hash,
    dpopBoundAccessTokens: Number(row.dpop_bound_access_tokens) === 1,
    ...keyFields(row),
    accessTokenFormat: row.access_token_format === 'jwt' ? 'jwt' : 'opaque',
    idTokenSignedResponseAlg: row.id_token_signed_response_alg as SigningAlgorithm,
    userinfoSignedResponseAlg: row.userinfo_signed_response_alg as SigningAlgorithm | null,
    requirePushedAuthorizationRequests: Number(row.require_pushed_authorization_requests) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    ...clientDataCenterFields(row.home_dc, row.other_dcs),
  };
}

/** The 0019 fields, named only when set: a client that uses none of them reads as before. */
function keyFields(row: Selectable<ClientsTable>): Partial<Client> {
  return {
    ...(row.token_endpoint_auth_method === null
      ? {}
      : { tokenEndpointAuthMethod: row.token_endpoint_auth_method as TokenEndpointAuthMethod }),
    ...(row.jwks === null ? {} : { jwks: JSON.parse(row.jwks) as ClientJwks }),
    ...(row.jwks_uri === null ? {} : { jwksUri: row.jwks_uri }),
    ...(Number(row.require_signed_request_object) === 1 ? { requireSignedRequestObject: true } : {}),
    ...(row.sealed_secret === null ? {} : { sealedSecret: row.sealed_secret }),
  };
}

function keyColumns(fields: Pick<RegistrationFields, 'tokenEndpointAuthMethod' | 'jwks' | 'jwksUri' | 'requireSignedRequestObject'>) {
  return {
    token_endpoint_auth_method: fields.tokenEndpointAuthMethod ?? null,
    jwks: fields.jwks ? JSON.stringify(fields.jwks) : null,
    jwks_uri: fields.jwksUri ?? null,
    require_signed_request_object: fields.requireSignedRequestObject ? 1 : 0,
  };
}

function logoutColumns(
  fields: Pick<RegistrationFields, 'postLogoutRedirectUris' | 'backchannelLogoutUri' | 'backchannelLogoutSessionRequired'>,
) {
  return {
    post_logout_redirect_uris: JSON.stringify(fields.postLogoutRedirectUris),
    backchannel_logout_uri: fields.backchannelLogoutUri,
    backchannel_logout_session_required: fields.backchannelLogoutSessionRequired ? 1 : 0,
  };
}

function signingColumns(fields: Pick<RegistrationFields, 'idTokenSignedResponseAlg' | 'userinfoSignedResponseAlg'>) {
  return {
    id_token_signed_response_alg: fields.idTokenSignedResponseAlg,
    userinfo_signed_response_alg: fields.userinfoSignedResponseAlg,
  };
}
