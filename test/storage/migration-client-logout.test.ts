import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { migrateBefore, OLD_DATABASES } from './old-database.js';
import { registeredAuthMethod } from '../../src/core/clients/client.js';

for (const database of OLD_DATABASES) {
  describe(`migration 0012_client_logout [${database.name}]`, async () => {
    const skip = await database.skip();
    test('sessions live before it get a random sid each and stay signed in; clients get empty logout fields', { skip }, async () => {
      const old = await database.make();
      try {
        const db = await migrateBefore(old, '0012');
        const now = Date.now();
        await sql`insert into users (zuid, email, password_hash, first_name, last_name, display_name, is_admin, must_change_password, created_at)
          values ('100000000001', 'old@example.com', 'x', 'O', 'L', 'O L', 0, 0, ${now})`.execute(db);
        for (const id of ['a'.repeat(64), 'b'.repeat(64)]) {
          await sql`insert into sessions (id, user_zuid, created_at, expires_at, amr) values (${id}, '100000000001', ${now}, ${now + 60_000}, 'pwd')`.execute(
            db,
          );
        }
        await sql`insert into clients (client_id, owner_zuid, type, name, homepage, redirect_uris, js_domains, secret_hash, created_at, updated_at)
          values ('1000.OLDCLIENT000000000000000000000', '100000000001', 'server', 'Old', 'https://old.example', '["https://old.example/cb"]', '[]', 'h', ${now}, ${now})`.execute(
          db,
        );
        await sql`insert into access_tokens (id, client_id, user_zuid, scopes, refresh_token_id, origin_code_id, created_at, expires_at)
          values ('old-access-token', '1000.OLDCLIENT000000000000000000000', '100000000001', 'ZohoCRM.modules.ALL', null, null, ${now}, ${now + 60_000})`.execute(
          db,
        );
        await db.destroy();

        const storage = old.open();
        try {
          await storage.migrate();
          const [a, b] = [await storage.sessions.findLive('a'.repeat(64), now), await storage.sessions.findLive('b'.repeat(64), now)];
          assert.match(a!.sid, /^[0-9a-f]{32}$/);
          assert.match(b!.sid, /^[0-9a-f]{32}$/);
          assert.notEqual(a!.sid, b!.sid);
          const client = (await storage.clients.find('1000.OLDCLIENT000000000000000000000'))!;
          assert.deepEqual(
            [client.postLogoutRedirectUris, client.backchannelLogoutUri, client.backchannelLogoutSessionRequired],
            [[], null, false],
          );
          // 0020_jwt_access_tokens: a client from before is opaque, and a token from before is unrestricted.
          assert.equal(client.accessTokenFormat, 'opaque');
          const token = (await storage.tokens.findAccessToken('old-access-token'))!;
          assert.equal(token.scopes, 'ZohoCRM.modules.ALL');
          assert.equal('audience' in token, false);
          assert.deepEqual(
            [client.idTokenSignedResponseAlg, client.userinfoSignedResponseAlg],
            ['RS256', null],
            'and 0022_signing_algorithms keeps RS256 id_tokens and plain JSON userinfo for it',
          );
          // 0019_client_jwt: a client from before it authenticates with its secret, has no keys, and signs nothing.
          assert.equal(registeredAuthMethod(client), 'client_secret_basic');
          assert.deepEqual(
            [client.tokenEndpointAuthMethod, client.jwks, client.jwksUri, client.requireSignedRequestObject, client.sealedSecret],
            [undefined, undefined, undefined, undefined, undefined],
          );
        } finally {
          await storage.close();
        }
      } finally {
        await old.dispose();
      }
    });
  });
}
