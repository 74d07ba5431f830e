import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Client } from '../../src/core/clients/client.js';
import { DuplicateError } from '../../src/core/errors/duplicate-error.js';
import { migrateBefore, OLD_DATABASES } from './old-database.js';

const OWNER = '100000000001';
const SERVER = '1000.OLDSERVER000000000000000000000';
const SELF = '1000.OLDSELF00000000000000000000000';

for (const database of OLD_DATABASES) {
  describe(`migration 0021_registration [${database.name}]`, async () => {
    const skip = await database.skip();
    test('owners become optional; existing clients, their consents, indexes and foreign keys survive', { skip }, async () => {
      const old = await database.make();
      try {
        const db = await migrateBefore(old, '0021');
        const now = Date.now();
        await sql`insert into users (zuid, email, password_hash, first_name, last_name, display_name, is_admin, must_change_password, created_at)
          values (${OWNER}, 'old@example.com', 'x', 'O', 'L', 'O L', 0, 0, ${now})`.execute(db);
        for (const [id, type] of [
          [SERVER, 'server'],
          [SELF, 'self'],
        ]) {
          await sql`insert into clients (client_id, owner_zuid, type, name, homepage, redirect_uris, js_domains, secret_hash, created_at, updated_at)
            values (${id}, ${OWNER}, ${type}, 'Old', 'https://old.example', '["https://old.example/cb"]', '[]', 'h', ${now}, ${now})`.execute(
            db,
          );
        }
        await sql`insert into consents (user_zuid, client_id, first_granted_at, last_granted_at) values (${OWNER}, ${SERVER}, ${now}, ${now})`.execute(
          db,
        );
        await sql`insert into consent_scopes (user_zuid, client_id, scope) values (${OWNER}, ${SERVER}, 'ZohoCRM.modules.ALL')`.execute(db);
        await db.destroy();

        const storage = old.open();
        try {
          await storage.migrate();
          // The SQLite rebuild must not have cascaded: the clients and the consent are still there.
          const server = (await storage.clients.find(SERVER))!;
          assert.equal(server.ownerZuid, OWNER);
          assert.deepEqual(server.redirectUris, ['https://old.example/cb']);
          assert.equal((await storage.consents.find(OWNER, SERVER))?.scopes, 'ZohoCRM.modules.ALL');
          assert.deepEqual((await storage.clients.listByOwner(OWNER)).map((c) => c.clientId).sort(), [SELF, SERVER].sort());

          const fresh = (clientId: string, ownerZuid: string | null, type: Client['type']): Client => ({
            ...server,
            clientId,
            ownerZuid,
            type,
          });
          // Still one Self Client per owner.
          await assert.rejects(
            storage.clients.create(fresh('1000.SECONDSELF000000000000000000000', OWNER, 'self')),
            (err: unknown) => err instanceof DuplicateError && err.what === 'self_client',
          );
          // An owner is optional now, but a named one must still exist (the foreign key survived the rebuild).
          await storage.clients.create(fresh('1000.UNOWNED000000000000000000000000', null, 'server'));
          assert.equal((await storage.clients.find('1000.UNOWNED000000000000000000000000'))!.ownerZuid, null);
          await assert.rejects(storage.clients.create(fresh('1000.NOBODYS000000000000000000000000', '999999999999', 'server')));
          assert.equal(await storage.clients.delete(SERVER), true);
          assert.equal(await storage.consents.find(OWNER, SERVER), undefined, 'the cascade from clients still works');
        } finally {
          await storage.close();
        }
      } finally {
        await old.dispose();
      }
    });
  });
}
