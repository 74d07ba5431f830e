import type { Gatehouse } from '../../gatehouse.js';
import type { Client, ClientType } from '../clients/client.js';
import { findClient, registerClient, rotateClientSecret, updateClient, type RegisteredClient } from '../clients/register-client.js';
import type { ClientFields } from '../clients/validate-client.js';
import { ManagementError } from '../errors/management-error.js';
import { generateSelfClientCode, type SelfClientCode, type SelfClientCodeInput } from '../self-client/generate-code.js';
import type { User } from '../users/user.js';

declare const managed: unique symbol;
/** A client that `DeveloperConsole.client` found and the user may manage: the only kind its operations accept. */
export type ManagedClient = Client & { readonly [managed]: true };

/** One user's grant to a client, as the console lists it. */
export interface ClientGrant {
  userZuid: string;
  email: string | null;
  name: string | null;
  scopes: string[];
  firstGrantedAt: number;
  lastGrantedAt: number;
}

/**
 * What a developer may do in the console, for the JSON API and the pages alike: the access rule (your own clients;
 * an administrator, anyone's) and every operation on them, so both front doors behave the same. Validation lives
 * further down (validate-client, generate-code), shared with the CLI.
 */
export class DeveloperConsole {
  constructor(private readonly gatehouse: Gatehouse) {}

  private get deps() {
    const { storage, hasher, now } = this.gatehouse;
    return { users: storage.users, clients: storage.clients, hasher, now };
  }

  /** The user's own clients, or with `all` (administrators only) every user's. */
  async listClients(user: User, options: { all?: boolean } = {}): Promise<Client[]> {
    if (options.all) {
      requireAdmin(user);
      return this.gatehouse.storage.clients.listAll();
    }
    return this.gatehouse.storage.clients.listByOwner(user.zuid);
  }

  async listUsers(user: User): Promise<User[]> {
    requireAdmin(user);
    return this.gatehouse.storage.users.list();
  }

  register(user: User, type: ClientType, fields: ClientFields): Promise<RegisteredClient> {
    return registerClient({ ownerZuid: user.zuid, type, ...fields }, this.deps);
  }

  /**
   * A client the user may manage. Anyone else's is reported exactly like one that does not exist. Every operation below
   * takes the client this returns, so none can run without the check, and none reads the client again.
   */
  async client(user: User, clientId: string): Promise<ManagedClient> {
    const client = await findClient(clientId, this.gatehouse.storage.clients);
    if (client.ownerZuid !== user.zuid && !user.isAdmin)
      throw new ManagementError('client.not_found', 'No client has this client ID.', 404, 'client_id');
    return client as ManagedClient;
  }

  update(client: ManagedClient, changes: ClientFields): Promise<Client> {
    return updateClient(client, changes, this.deps);
  }

  /** Deletes the client; the store's cascade revokes everything it holds (codes, tokens, consents). */
  async delete(client: ManagedClient): Promise<void> {
    await this.gatehouse.storage.clients.delete(client.clientId);
  }

  rotateSecret(client: ManagedClient): Promise<RegisteredClient> {
    return rotateClientSecret(client, this.deps);
  }

  generateCode(client: ManagedClient, input: SelfClientCodeInput): Promise<SelfClientCode> {
    return generateSelfClientCode(client, input, { ...this.gatehouse, codes: this.gatehouse.storage.codes });
  }

  /** Who granted the client what, newest grant first. */
  async grants(client: ManagedClient): Promise<ClientGrant[]> {
    const { storage } = this.gatehouse;
    const grants: ClientGrant[] = [];
    for (const consent of await storage.consents.listForClient(client.clientId)) {
      const grantor = await storage.users.findByZuid(consent.userZuid);
      grants.push({
        userZuid: consent.userZuid,
        email: grantor?.email ?? null,
        name: grantor?.displayName ?? null,
        scopes: consent.scopes.split(' '),
        firstGrantedAt: consent.firstGrantedAt,
        lastGrantedAt: consent.lastGrantedAt,
      });
    }
    return grants;
  }

  /** Ends one user's grant: their tokens for the client go and the consent is forgotten. */
  async revokeGrant(client: ManagedClient, userZuid: string): Promise<void> {
    const revoked = await this.gatehouse.storage.transaction(async (tx) => {
      const tokens = await tx.tokens.revokeGrant(userZuid, client.clientId);
      return (await tx.consents.revoke(userZuid, client.clientId)) || tokens > 0;
    });
    if (!revoked) throw new ManagementError('grant.not_found', 'This user has not granted this client anything.', 404, 'zuid');
  }
}

function requireAdmin(user: User): void {
  if (!user.isAdmin) throw new ManagementError('auth.admin_required', 'Only administrators see every user and client.', 403);
}
