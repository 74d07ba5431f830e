import type { Client } from '../clients/client.js';
import type { RegistrationFields } from '../clients/client-repository.js';

/** What RFC 7592 management needs of a dynamically registered client, beside its client row. */
export interface ClientRegistration {
  clientId: string;
  /** Keyed hash of the registration access token (RFC 7592 §3); the token itself is shown once. */
  tokenHash: string;
  /** The registration-only metadata (`REGISTRATION_ONLY_FIELDS` in client-metadata.ts), as registered. */
  metadata: Record<string, unknown>;
  createdAt: number;
}

/**
 * Dynamically registered clients' management state, in a table of its own: the token endpoint reads the client row
 * only, so registration costs clients that never used it nothing.
 */
export interface ClientRegistrationRepository {
  /** Creates the client and its registration together: both land, or neither does. */
  create(client: Client, registration: ClientRegistration): Promise<void>;
  find(clientId: string): Promise<ClientRegistration | undefined>;
  /**
   * RFC 7592 §2.2's update, all or nothing: the client's fields, its kept metadata and a new token hash, only while the
   * registration's token hash is still `change.expectedTokenHash`. False (nothing changed) when it is not, or there is
   * no registration: of two updates racing with one token, only one lands, and only its answer's token works.
   */
  update(clientId: string, change: RegistrationChange): Promise<boolean>;
}

export interface RegistrationChange {
  expectedTokenHash: string;
  tokenHash: string;
  metadata: Record<string, unknown>;
  fields: RegistrationFields;
  now: number;
}

/** RFC 7591 §3's initial access token, as stored: `id` is the token's keyed hash. */
export interface InitialAccessToken {
  id: string;
  /** Public and unique: how the CLI lists and revokes it. */
  label: string;
  /** Whose console a client registered with it appears in; null: the client is unowned. */
  ownerZuid: string | null;
  createdAt: number;
  /** Epoch milliseconds; null: never. */
  expiresAt: number | null;
  /** When it registered its client; null: unused. */
  usedAt: number | null;
}

export interface InitialAccessTokenRepository {
  /** Throws DuplicateError('label') when the label is taken. */
  create(token: InitialAccessToken): Promise<void>;
  find(id: string): Promise<InitialAccessToken | undefined>;
  /**
   * Marks the token used, in one statement, when it exists, is unused and unexpired at `now`; returns it as it was, or
   * undefined. Two registrations racing with one token cannot both win.
   */
  use(id: string, now: number): Promise<InitialAccessToken | undefined>;
  list(): Promise<InitialAccessToken[]>;
  /** False when no token has this label. */
  delete(label: string): Promise<boolean>;
}
