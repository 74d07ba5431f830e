import type { Client } from './client.js';

/** What a client's owner edits: everything but its identity, type, secret and times. */
export type RegistrationFields = Omit<
  Client,
  'clientId' | 'ownerZuid' | 'type' | 'secretHash' | 'sealedSecret' | 'createdAt' | 'updatedAt' | 'homeDc' | 'otherDcs'
>;

export interface ClientRepository {
  /** Throws DuplicateError('self_client') when the owner already has a Self Client. */
  create(client: Client): Promise<void>;
  find(clientId: string): Promise<Client | undefined>;
  /** `find` from memory only, without a promise; undefined means "ask `find`" (see `TokenRepository.peekAccessToken`). */
  peek(clientId: string): Client | undefined;
  listByOwner(ownerZuid: string): Promise<Client[]>;
  /**
   * Replaces the secret hash and the sealed secret (absent or null: none, as for all but `client_secret_jwt`); false
   * when the client does not exist.
   */
  updateSecretHash(clientId: string, secretHash: string, now: number, sealedSecret?: string | null): Promise<boolean>;
  /**
   * Replaces the registration fields; false when the client does not exist. A method other than `client_secret_jwt`
   * drops the sealed secret.
   */
  updateFields(clientId: string, fields: RegistrationFields, now: number): Promise<boolean>;
  /** Replaces the DCs besides its home that the client is enabled in (spec §1.2); false when it does not exist. */
  updateOtherDataCenters(clientId: string, otherDcs: readonly string[], now: number): Promise<boolean>;
  /** Deletes the client and, by cascade, its codes, tokens, consents and pending consent pages. */
  delete(clientId: string): Promise<boolean>;
  /** Every client, for administrators. */
  listAll(): Promise<Client[]>;
  count(): Promise<number>;
}
