import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { openStorage } from '../../src/storage/open-storage.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { LogoutReceiver } from '../support/logout-receiver.js';
import { addPasskey, enrollTotp } from '../support/mfa.js';
import { SoftAuthenticator } from '../support/soft-authenticator.js';
import { gatehouse, gatehouseOk, gatehouseRaw, serve } from './cli-runner.js';
import type { CliStore } from './cli-stores.js';

/**
 * The CLI against one store, in a file of its own per store: each command is a node process, and the suite for both
 * stores in one file outgrew the runner's per-file guard on a loaded machine.
 */
export function describeCli(store: CliStore): void {
  describe(`gatehouse CLI [${store.name}]`, async () => {
    const skip = await store.skip();
    if (skip) {
      describe('skipped', { skip }, () => {});
      return;
    }
    let db: { url: string; dispose(): Promise<void> };
    let env: Record<string, string>;
    before(async () => {
      db = await store.create();
      env = { GATEHOUSE_DATABASE_URL: db.url, GATEHOUSE_LIMIT_CODE_RATE: 'off' };
    });
    after(() => db.dispose());

    test('serve on an empty database creates the first admin and prints its one-time password', async () => {
      const server = await serve({ ...env, GATEHOUSE_ADMIN_EMAIL: 'root@example.com' });
      try {
        assert.equal(server.info.admin.email, 'root@example.com');
        assert.ok(server.info.admin.password.length >= 12);
        const health = await fetch(`${server.info.url}/healthz`);
        assert.equal(health.status, 200);
        const listed = await gatehouse(env, 'keys', 'list');
        assert.equal(listed.json.keys.length, 1, 'the signing key was made at start');
      } finally {
        await server.stop();
      }
      const again = await serve(env);
      assert.equal(again.info.admin, undefined, 'only the first start creates an admin');
      await again.stop();
      const taken = await gatehouse(
        env,
        'user',
        'create',
        '--email',
        'root@example.com',
        '--password',
        'whatever1',
        '--first-name',
        'R',
        '--last-name',
        'T',
      );
      assert.equal(taken.json.error.code, 'user.email_taken');
    });

    test('a signing key sealed under another GATEHOUSE_SECRET_KEY stops serve, naming the remedy', async () => {
      const otherKey = { ...env, GATEHOUSE_SECRET_KEY: randomBytes(32).toString('base64') };
      await assert.rejects(serve(otherKey), /sealed under another GATEHOUSE_SECRET_KEY.*gatehouse keys rotate --now/s);
      const rotated = await gatehouseOk(otherKey, 'keys', 'rotate', '--now');
      const server = await serve(otherKey);
      await server.stop();
      // Back to the key the rest of this suite runs with: its newest signing key must open under it.
      assert.notEqual((await gatehouseOk(env, 'keys', 'rotate', '--now')).kid, rotated.kid);
    });

    test('every command prints exactly one JSON object; errors go to stderr with a non-zero exit', async () => {
      const user = await gatehouse(
        env,
        'user',
        'create',
        '--email',
        'dev@example.com',
        '--password',
        'hunter2hunter2',
        '--first-name',
        'Dev',
        '--last-name',
        'One',
      );
      assert.equal(user.code, 0, user.stderr);
      assert.match(user.json.zuid, /^[0-9]+$/);
      assert.deepEqual(Object.keys(user.json), ['zuid', 'email']);

      const bad = await gatehouse(
        env,
        'user',
        'create',
        '--email',
        'not-an-email',
        '--password',
        'hunter2hunter2',
        '--first-name',
        'A',
        '--last-name',
        'B',
      );
      assert.notEqual(bad.code, 0);
      assert.equal(bad.stdout, '');
      assert.equal(bad.json.error.code, 'user.email_invalid');

      const usage = await gatehouse(env, 'client', 'create', '--owner', 'dev@example.com');
      assert.equal(usage.code, 2);
      assert.match(usage.json.error.message, /--type is required/);

      const server = await gatehouse(
        env,
        'client',
        'create',
        '--owner',
        'dev@example.com',
        '--type',
        'server',
        '--name',
        'CRM Sync',
        '--homepage',
        'https://app.example.com',
        '--redirect-uri',
        'https://app.example.com/cb',
        '--redirect-uri',
        'https://app.example.com/cb2',
      );
      assert.equal(server.code, 0, server.stderr);
      assert.match(server.json.client_id, /^1000\.[A-Z0-9]{30}$/);
      assert.match(server.json.client_secret, /^[0-9a-f]{42}$/);
      assert.deepEqual(server.json.redirect_uris, ['https://app.example.com/cb', 'https://app.example.com/cb2']);

      const spa = await gatehouse(
        env,
        'client',
        'create',
        '--owner',
        'dev@example.com',
        '--type',
        'client',
        '--name',
        'SPA',
        '--homepage',
        'https://spa.example.com',
        '--redirect-uri',
        'https://spa.example.com/cb',
        '--js-domain',
        'https://spa.example.com',
      );
      assert.equal(spa.code, 0, spa.stderr);
      assert.equal(spa.json.client_secret, undefined, 'client-based apps have no secret');

      for (const [type, extra] of [
        ['mobile', ['--redirect-uri', 'com.example.app:/cb']],
        ['device', []],
      ] as const) {
        const created = await gatehouse(
          env,
          'client',
          'create',
          '--owner',
          'dev@example.com',
          '--type',
          type,
          '--name',
          `My ${type}`,
          '--homepage',
          'https://app.example.com',
          ...extra,
        );
        assert.equal(created.code, 0, created.stderr);
      }
      const fragment = await gatehouse(
        env,
        'client',
        'create',
        '--owner',
        'dev@example.com',
        '--type',
        'server',
        '--name',
        'X',
        '--homepage',
        'https://x.example.com',
        '--redirect-uri',
        'https://x.example.com/cb#frag',
      );
      assert.equal(fragment.json.error.code, 'client.redirect_uri_invalid');

      const list = await gatehouse(env, 'client', 'list', '--owner', 'dev@example.com');
      assert.deepEqual(list.json.clients.map((c: { type: string }) => c.type).sort(), ['client', 'device', 'mobile', 'server']);
      assert.ok(list.json.clients.every((c: Record<string, unknown>) => !('client_secret' in c)));
    });

    test('client create takes the logout fields; user disable delivers the logout token before the command exits', async () => {
      const receiver = await LogoutReceiver.start();
      try {
        const email = 'bcl@example.com';
        await gatehouseOk(env, 'user', 'create', '--email', email, '--password', 'hunter2hunter2', '--first-name', 'B', '--last-name', 'C');
        const client = await gatehouseOk(
          env,
          'client',
          'create',
          '--owner',
          email,
          '--type',
          'server',
          '--name',
          'Logout App',
          '--homepage',
          'https://app.example.com',
          '--redirect-uri',
          'https://app.example.com/cb',
          '--post-logout-redirect-uri',
          'https://app.example.com/bye',
          '--backchannel-logout-uri',
          receiver.uri,
          '--backchannel-logout-session-required',
        );
        assert.deepEqual(
          [client.post_logout_redirect_uris, client.backchannel_logout_uri, client.backchannel_logout_session_required],
          [['https://app.example.com/bye'], receiver.uri, true],
        );
        const refused = await gatehouse(
          env,
          'client',
          'create',
          '--owner',
          email,
          '--type',
          'device',
          '--name',
          'TV',
          '--homepage',
          'https://tv.example.com',
          '--backchannel-logout-uri',
          receiver.uri,
        );
        assert.equal(refused.json.error.code, 'client.field_not_allowed');

        // The user allowed the client and has a session; the CLI's disable ends it and tells the client.
        const storage = openStorage(env.GATEHOUSE_DATABASE_URL!);
        try {
          const user = (await storage.users.findByEmail(email))!;
          await storage.consents.grant(user.zuid, client.client_id, 'openid', Date.now());
          await storage.sessions.create({
            id: 'x'.repeat(64),
            userZuid: user.zuid,
            amr: 'pwd',
            sid: 'f'.repeat(32),
            createdAt: Date.now(),
            expiresAt: Date.now() + 60_000,
          });
        } finally {
          await storage.close();
        }
        await gatehouseOk(env, 'user', 'disable', '--email', email);
        assert.equal(receiver.received.length, 1, 'delivered before the command exited');
        const token = receiver.received[0]!.form.get('logout_token')!;
        assert.equal(decodeJwt(token).sid, 'f'.repeat(32));
        assert.equal(decodeJwt(token).aud, client.client_id);
      } finally {
        await receiver.close();
      }
    });

    test('several data centres: user create --dc names the home DC; client data-centers sets the Multi-DC list', async () => {
      const dcs = [
        { location: 'us', accounts_origin: 'https://accounts.example.com', api_domain: 'https://api.example.com' },
        { location: 'eu', accounts_origin: 'https://accounts.example.eu', api_domain: 'https://api.example.eu' },
      ];
      const dcEnv = { ...env, GATEHOUSE_DATACENTERS: JSON.stringify(dcs) };
      const person = ['--password', 'correct horse', '--first-name', 'Eve', '--last-name', 'Ng'];
      const eve = await gatehouseOk(dcEnv, 'user', 'create', '--email', 'eve@example.eu', '--dc', 'eu', ...person);
      assert.equal(eve.dc, 'eu');
      const unknown = await gatehouse(dcEnv, 'user', 'create', '--email', 'mars@example.com', '--dc', 'mars', ...person);
      assert.equal(unknown.json.error.code, 'user.dc_unknown');
      const client = await gatehouseOk(dcEnv, 'client', 'create', '--owner', 'eve@example.eu', '--type', 'self');
      assert.equal(client.home_dc, 'eu', "a client's home is its owner's DC");
      const enabled = await gatehouseOk(dcEnv, 'client', 'data-centers', '--client-id', client.client_id, '--dc', 'us');
      assert.deepEqual(enabled.other_dcs, ['us']);
      const refused = await gatehouse(dcEnv, 'client', 'data-centers', '--client-id', client.client_id, '--dc', 'mars');
      assert.equal(refused.json.error.code, 'client.dc_unknown');
    });

    test('org create, add-member and list: an organisation with its administrator and members; bad input named', async () => {
      const person = ['--password', 'hunter2hunter2', '--first-name', 'Ola', '--last-name', 'Berg'];
      await gatehouseOk(env, 'user', 'create', '--email', 'ola@example.com', ...person);
      await gatehouseOk(env, 'user', 'create', '--email', 'per@example.com', ...person);
      const { org } = await gatehouseOk(env, 'org', 'create', '--name', 'Zylker Nordic', '--admin', 'ola@example.com');
      assert.match(org.id, /^[1-9][0-9]{10}$/, "the shape of Zoho's zsoid");
      assert.deepEqual([org.name, org.admin], ['Zylker Nordic', 'ola@example.com']);
      const added = await gatehouseOk(env, 'org', 'add-member', '--org', org.id, '--email', 'per@example.com');
      assert.deepEqual([added.role, added.outcome], ['user', 'added']);
      const again = await gatehouseOk(env, 'org', 'add-member', '--org', org.id, '--email', 'per@example.com', '--role', 'user');
      assert.equal(again.outcome, 'unchanged');
      const listed = await gatehouseOk(env, 'org', 'list');
      assert.deepEqual(listed.orgs.find((o: { id: string }) => o.id === org.id).members, [
        { email: 'ola@example.com', role: 'admin' },
        { email: 'per@example.com', role: 'user' },
      ]);
      const problems = [
        [['org', 'create', '--name', ' ', '--admin', 'ola@example.com'], 'org.name_invalid'],
        [['org', 'create', '--name', 'X', '--admin', 'nobody@example.com'], 'user.not_found'],
        [['org', 'add-member', '--org', '12345678901', '--email', 'per@example.com'], 'org.not_found'],
        [['org', 'add-member', '--org', org.id, '--email', 'per@example.com', '--role', 'owner'], 'org.role_invalid'],
      ] as const;
      for (const [args, code] of problems) {
        const failed = await gatehouse(env, ...args);
        assert.notEqual(failed.code, 0, args.join(' '));
        assert.equal(failed.json.error.code, code, args.join(' '));
      }
      const audit = await gatehouseOk(env, 'audit', 'list', '--type', 'org.created');
      assert.equal(audit.events[0].subject, org.id);
    });

    test('api-token: administrators issue, list and revoke named tokens; others may not', async () => {
      const admin = ['--password', 'hunter2hunter2', '--first-name', 'Ada', '--last-name', 'Min'];
      await gatehouseOk(env, 'user', 'create', '--email', 'ops@example.com', ...admin, '--admin');
      const created = await gatehouse(env, 'api-token', 'create', '--email', 'ops@example.com', '--name', 'deploy');
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.json.token, /^ghat_[A-Za-z0-9_-]{43}$/);
      assert.equal(
        (await gatehouse(env, 'api-token', 'create', '--email', 'ops@example.com', '--name', 'deploy')).json.error.code,
        'api_token.name_taken',
      );
      assert.equal(
        (await gatehouse(env, 'api-token', 'create', '--email', 'dev@example.com', '--name', 'x')).json.error.code,
        'auth.admin_required',
      );
      const list = await gatehouseOk(env, 'api-token', 'list', '--email', 'ops@example.com');
      assert.deepEqual(
        list.tokens.map((t: { name: string }) => t.name),
        ['deploy'],
      );
      assert.ok(!JSON.stringify(list).includes(created.json.token), 'never shown again');
      assert.equal((await gatehouseOk(env, 'api-token', 'revoke', '--email', 'ops@example.com', '--name', 'deploy')).revoked, true);
      assert.equal(
        (await gatehouse(env, 'api-token', 'revoke', '--email', 'ops@example.com', '--name', 'deploy')).json.error.code,
        'api_token.not_found',
      );
    });

    test('registration token: created for an owner, used by a server with GATEHOUSE_REGISTRATION=token, listed, revoked', async () => {
      const names = ['--password', 'hunter2hunter2', '--first-name', 'Reg', '--last-name', 'Owner'];
      await gatehouseOk(env, 'user', 'create', '--email', 'reg-owner@example.com', ...names);
      const created = await gatehouseOk(env, 'registration', 'token', 'create', '--owner', 'reg-owner@example.com', '--expires-in', '1h');
      assert.match(created.token, /^ghiat_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.owner, 'reg-owner@example.com');
      const spare = await gatehouseOk(env, 'registration', 'token', 'create');
      assert.equal(spare.expires_at, null);
      assert.equal((await gatehouse(env, 'registration', 'token', 'create', '--expires-in', 'soon')).code, 2);
      assert.equal(
        (await gatehouse(env, 'registration', 'token', 'create', '--owner', 'nobody@example.com')).json.error.code,
        'user.not_found',
      );

      const server = await serve({ ...env, GATEHOUSE_REGISTRATION: 'token' });
      try {
        const discovery = (await (await fetch(`${server.info.url}/.well-known/oauth-authorization-server`)).json()) as Record<
          string,
          string
        >;
        assert.match(discovery.registration_endpoint!, /\/oauth\/v2\/register$/);
        const res = await fetch(`${server.info.url}/oauth/v2/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${created.token}` },
          body: JSON.stringify({
            client_name: 'From CLI',
            client_uri: 'https://app.example.com',
            redirect_uris: ['https://app.example.com/cb'],
          }),
        });
        assert.equal(res.status, 201);
      } finally {
        await server.stop();
      }
      const owned = await gatehouseOk(env, 'client', 'list', '--owner', 'reg-owner@example.com');
      assert.deepEqual(
        owned.clients.map((c: { name: string }) => c.name),
        ['From CLI'],
      );
      const list = (await gatehouseOk(env, 'registration', 'token', 'list')).tokens as Array<Record<string, string | null>>;
      const used = list.find((t) => t.label === created.label)!;
      assert.equal(used.owner, 'reg-owner@example.com');
      assert.ok(used.used_at);
      assert.ok(!JSON.stringify(list).includes(created.token), 'never shown again');
      assert.equal((await gatehouseOk(env, 'registration', 'token', 'revoke', '--label', spare.label)).revoked, true);
      assert.equal(
        (await gatehouse(env, 'registration', 'token', 'revoke', '--label', spare.label)).json.error.code,
        'registration.token_not_found',
      );
    });

    test('user reset-password hands out a one-time password and ends the sessions; disable and enable; list', async () => {
      const names = ['--first-name', 'Lo', '--last-name', 'St'];
      await gatehouseOk(env, 'user', 'create', '--email', 'lost@example.com', '--password', 'hunter2hunter2', ...names);
      const server = await serve(env);
      try {
        const signedIn = new BrowserAgent(server.info.url);
        assert.equal((await signedIn.signIn('lost@example.com', 'hunter2hunter2')).status, 303);
        assert.equal((await signedIn.get('/account/connected-apps')).status, 200);

        const reset = await gatehouse(env, 'user', 'reset-password', '--email', 'Lost@Example.com');
        assert.equal(reset.code, 0, reset.stderr);
        assert.deepEqual(Object.keys(reset.json), ['email', 'password']);
        assert.equal(reset.json.email, 'lost@example.com');
        assert.match(reset.json.password, /^[A-Za-z0-9_-]{16}$/);
        assert.match((await signedIn.get('/account/connected-apps')).location ?? '', /^\/signin/, 'the session ended');
        const browser = new BrowserAgent(server.info.url);
        assert.equal((await browser.signIn('lost@example.com', 'hunter2hunter2')).status, 401, 'the old password is gone');
        assert.equal((await browser.signIn('lost@example.com', reset.json.password)).status, 303);
        assert.match((await browser.get('/account/connected-apps')).location ?? '', /password/, 'a new password is asked for first');

        assert.equal((await gatehouse(env, 'user', 'reset-password', '--email', 'nobody@example.com')).json.error.code, 'user.not_found');
        assert.equal((await gatehouseOk(env, 'user', 'disable', '--email', 'lost@example.com')).disabled, true);
        assert.match((await browser.get('/account/connected-apps')).location ?? '', /^\/signin/, 'disabling ended the session');
        const refused = await new BrowserAgent(server.info.url).signIn('lost@example.com', reset.json.password);
        assert.equal(refused.status, 403);
        assert.match(refused.body, /This account is disabled/);
        const listed = (await gatehouseOk(env, 'user', 'list')).users.find((u: { email: string }) => u.email === 'lost@example.com');
        assert.deepEqual([listed.disabled, listed.must_change_password, 'password_hash' in listed], [true, true, false]);
        await gatehouseOk(env, 'user', 'enable', '--email', 'lost@example.com');
        assert.equal((await new BrowserAgent(server.info.url).signIn('lost@example.com', reset.json.password)).status, 303);
      } finally {
        await server.stop();
      }
    });

    test("user mfa shows a user's second factors; user mfa reset removes them and ends the sessions", async () => {
      const names = ['--first-name', 'Mo', '--last-name', 'Bile'];
      await gatehouseOk(env, 'user', 'create', '--email', 'phone@example.com', '--password', 'hunter2hunter2', ...names);
      assert.deepEqual(await gatehouseOk(env, 'user', 'mfa', '--email', 'phone@example.com'), {
        totp: false,
        passkeys: 0,
        recovery_codes_left: 0,
      });
      const server = await serve(env);
      try {
        const browser = new BrowserAgent(server.info.url);
        await browser.signIn('phone@example.com', 'hunter2hunter2');
        await enrollTotp(browser, Date.now());
        const issuer = new URL(server.info.issuer as string);
        const added = await addPasskey(browser, new SoftAuthenticator(), { origin: issuer.origin, rpId: issuer.hostname }, 'Phone');
        assert.equal(added.status, 303, added.body.slice(0, 200));
        assert.deepEqual(await gatehouseOk(env, 'user', 'mfa', '--email', 'Phone@Example.com'), {
          totp: true,
          passkeys: 1,
          recovery_codes_left: 10,
        });
        const text = await gatehouseRaw(env, ['user', 'mfa', '--email', 'phone@example.com']);
        assert.match(
          text.stdout,
          /phone@example\.com: authenticator app added \d{4}-.*; 10 recovery codes left; passkey "Phone" added \d{4}-/,
        );
        assert.match(
          (await new BrowserAgent(server.info.url).signIn('phone@example.com', 'hunter2hunter2')).location!,
          /^\/signin\/verify/,
        );

        assert.deepEqual(await gatehouseOk(env, 'user', 'mfa', 'reset', '--email', 'phone@example.com'), {
          totp: false,
          passkeys: 0,
          recovery_codes_left: 0,
        });
        assert.match((await browser.get('/account/connected-apps')).location ?? '', /^\/signin/, 'the session ended');
        const plain = await new BrowserAgent(server.info.url).signIn('phone@example.com', 'hunter2hunter2');
        assert.equal(plain.location, '/account/connected-apps', 'the password alone signs in again');
        assert.equal((await gatehouse(env, 'user', 'mfa', '--email', 'nobody@example.com')).json.error.code, 'user.not_found');
      } finally {
        await server.stop();
      }
    });

    test('audit list: what the CLI did is in the audit log, by the cli, newest first; a filter, paging, a bad filter', async () => {
      // Few commands: each is a process of its own, and this suite runs under one per-file timeout.
      const names = ['--password', 'hunter2hunter2', '--first-name', 'Au', '--last-name', 'Dit'];
      const user = await gatehouseOk(env, 'user', 'create', '--email', 'audited@example.com', ...names);
      const client = await gatehouseOk(env, 'client', 'create', '--owner', 'audited@example.com', '--type', 'self');
      const { kid } = await gatehouseOk(env, 'keys', 'rotate');

      const forClient = await gatehouseOk(env, 'audit', 'list', '--client', client.client_id);
      assert.deepEqual(
        forClient.events.map((e: Record<string, unknown>) => [e.type, e.actor, e.user_zuid, e.subject, e.address]),
        [['client.created', { kind: 'cli', id: null, name: null }, user.zuid, 'Self Client', null]],
      );
      assert.equal(forClient.next, null);
      const newest = await gatehouseOk(env, 'audit', 'list', '--limit', '1');
      assert.deepEqual([newest.events.length, newest.events[0].type, typeof newest.next], [1, 'signingkey.rotated', 'string']);
      const since = new Date(Date.now() - 10 * 60_000).toISOString();
      const text = await gatehouseRaw(env, ['audit', 'list', '--type', 'signingkey.rotated', '--since', since]);
      assert.match(text.stdout, new RegExp(`^\\S+Z  signingkey\\.rotated  success  cli  ${kid}$`, 'm'));
      const bad = await gatehouse(env, 'audit', 'list', '--since', 'last tuesday');
      assert.equal(bad.code, 1);
      assert.deepEqual([bad.json.error.code, bad.json.error.field], ['request.invalid', 'since']);
    });

    test('keys rotate --alg: the first ES256 key signs at once, the next is pending; keys list names each algorithm', async () => {
      const first = await gatehouseOk(env, 'keys', 'rotate', '--alg', 'ES256');
      assert.equal(first.alg, 'ES256');
      const next = await gatehouseOk(env, 'keys', 'rotate', '--alg', 'ES256');
      const { keys } = await gatehouseOk(env, 'keys', 'list');
      assert.deepEqual(
        keys.filter((k: { alg: string }) => k.alg === 'ES256').map((k: { kid: string; state: string }) => [k.kid, k.state]),
        [
          [next.kid, 'pending'],
          [first.kid, 'signing'],
        ],
      );
      assert.deepEqual(
        keys
          .filter((k: { state: string }) => k.state === 'signing')
          .map((k: { alg: string }) => k.alg)
          .sort(),
        ['ES256', 'RS256'],
        'one signing key per algorithm; no EdDSA key until one is needed',
      );
      const bad = await gatehouse(env, 'keys', 'rotate', '--alg', 'HS256');
      assert.notEqual(bad.code, 0);
      assert.deepEqual([bad.json.error.code, bad.json.error.field], ['key.alg_invalid', 'alg']);
    });

    test('a Self Client code from the CLI works at the token endpoint; rotation and revocation take effect', async () => {
      await gatehouseOk(
        env,
        'user',
        'create',
        '--email',
        'self@example.com',
        '--password',
        'hunter2hunter2',
        '--first-name',
        'Self',
        '--last-name',
        'User',
      );
      const self = await gatehouseOk(env, 'client', 'create', '--owner', 'self@example.com', '--type', 'self');
      assert.equal(self.name, 'Self Client');
      assert.equal(self.dpop_bound_access_tokens, false);
      const requiring = await gatehouseOk(
        env,
        'client',
        'create',
        '--owner',
        'self@example.com',
        '--type',
        'device',
        '--name',
        'TV',
        '--homepage',
        'https://tv.example.com',
        '--require-dpop',
        '--id-token-signed-response-alg',
        'EdDSA',
        '--userinfo-signed-response-alg',
        'ES256',
      );
      assert.equal(requiring.dpop_bound_access_tokens, true);
      assert.equal(requiring.access_token_format, 'opaque');
      const jwt = await gatehouseOk(
        env,
        'client',
        'create',
        '--owner',
        'self@example.com',
        '--type',
        'device',
        '--name',
        'Kiosk',
        '--homepage',
        'https://kiosk.example.com',
        '--access-token-format',
        'jwt',
      );
      assert.equal(jwt.access_token_format, 'jwt');
      const wrongFormat = await gatehouse(
        env,
        'client',
        'create',
        '--owner',
        'self@example.com',
        '--type',
        'device',
        '--name',
        'X',
        '--homepage',
        'https://x.example.com',
        '--access-token-format',
        'paseto',
      );
      assert.equal(wrongFormat.json.error.code, 'client.access_token_format_invalid');
      assert.deepEqual([requiring.id_token_signed_response_alg, requiring.userinfo_signed_response_alg], ['EdDSA', 'ES256']);
      assert.deepEqual([self.id_token_signed_response_alg, self.userinfo_signed_response_alg], ['RS256', null]);
      const pushing = await gatehouseOk(
        env,
        'client',
        'create',
        '--owner',
        'self@example.com',
        '--type',
        'server',
        '--name',
        'Pushing',
        '--homepage',
        'https://app.example.com',
        '--redirect-uri',
        'https://app.example.com/cb',
        '--require-par',
      );
      assert.deepEqual([pushing.require_pushed_authorization_requests, requiring.require_pushed_authorization_requests], [true, false]);
      assert.equal(
        (await gatehouse(env, 'client', 'create', '--owner', 'self@example.com', '--type', 'self')).json.error.code,
        'client.self_client_exists',
      );

      const code = await gatehouse(
        env,
        'self-client',
        'code',
        '--client-id',
        self.client_id,
        '--scope',
        'ZohoCRM.modules.ALL,AaaServer.profile.READ',
        '--duration',
        '10',
        '--description',
        'nightly sync',
      );
      assert.equal(code.code, 0, code.stderr);
      assert.equal(code.json.expires_in, 600);
      assert.equal(code.json.scope, 'ZohoCRM.modules.ALL AaaServer.profile.READ');
      assert.equal(
        (await gatehouse(env, 'self-client', 'code', '--client-id', self.client_id, '--scope', 'ZohoCRM.modules.ALL', '--duration', '11'))
          .json.error.code,
        'self_client.duration_invalid',
      );
      assert.equal(
        (await gatehouse(env, 'self-client', 'code', '--client-id', self.client_id, '--scope', 'ZohoCRM.nothing.ALL')).json.error.code,
        'self_client.scope_invalid',
      );

      const server = await serve(env);
      try {
        const token = (form: Record<string, string>) =>
          fetch(`${server.info.url}/oauth/v2/token`, { method: 'POST', body: new URLSearchParams(form) }).then(async (r) => ({
            status: r.status,
            body: (await r.json()) as Record<string, string>,
          }));
        const exchanged = await token({
          grant_type: 'authorization_code',
          client_id: self.client_id,
          client_secret: self.client_secret,
          code: code.json.code,
        });
        assert.equal(exchanged.status, 200, JSON.stringify(exchanged.body));

        const rotated = await gatehouse(env, 'client', 'rotate-secret', '--client-id', self.client_id);
        assert.notEqual(rotated.json.client_secret, self.client_secret);
        const refresh = { grant_type: 'refresh_token', client_id: self.client_id, refresh_token: exchanged.body.refresh_token };
        assert.equal((await token({ ...refresh, client_secret: self.client_secret })).status, 401, 'the old secret stops working');
        assert.equal((await token({ ...refresh, client_secret: rotated.json.client_secret })).status, 200);

        const revoked = await gatehouse(env, 'token', 'revoke', '--token', exchanged.body.refresh_token);
        assert.deepEqual(revoked.json, { revoked: true });
        assert.equal((await token({ ...refresh, client_secret: rotated.json.client_secret })).body.error, 'invalid_grant');
        assert.equal((await gatehouse(env, 'token', 'revoke', '--token', exchanged.body.refresh_token)).json.error.code, 'token.not_found');
      } finally {
        await server.stop();
      }
    });
  });
}
