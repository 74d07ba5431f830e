import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { AuditEvent, AuditQuery } from '../../src/core/audit/audit-log.js';
import type { Client } from '../../src/core/clients/client.js';
import type { User } from '../../src/core/users/user.js';
import { DuplicateError } from '../../src/core/errors/duplicate-error.js';
import { ClientGoneError } from '../../src/core/errors/client-gone-error.js';
import type { AccessToken, RefreshToken } from '../../src/core/tokens/token-repository.js';
import type { AuthorizationCode } from '../../src/core/authorize/code-repository.js';
import type { StorageWithRecords } from '../../src/storage/open-storage.js';
import type { DuplicateCheck, RecordFilter, RecordQuery } from '../../src/resources/record-repository.js';
import { testUser, type StoreKind, type TestStore } from '../support/stores.js';

/**
 * The storage contract: what every Storage implementation must do, security invariants included (single-use codes,
 * expiry, cascading revocation, the eviction order of the token limits). Each adapter's test file runs it.
 */
export function runStorageContract(kind: StoreKind): void {
  describe(`storage contract [${kind.name}]`, async () => {
    const skip = await kind.skip();
    if (skip) {
      describe('skipped', { skip }, () => {});
      return;
    }
    let store: TestStore;
    let s: StorageWithRecords;
    before(async () => {
      store = await kind.open();
      s = store.storage;
    });
    after(() => store.dispose());

    const id = () => randomBytes(32).toString('hex');
    const T0 = 1_800_000_000_000;

    async function user(email = `${id().slice(0, 8)}@example.com`): Promise<User> {
      const u = testUser({ zuid: String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000)), email, createdAt: T0 });
      await s.users.create(u);
      return u;
    }

    async function client(owner: User, type: Client['type'] = 'server'): Promise<Client> {
      const c: Client = {
        clientId: `1000.${id().slice(0, 30).toUpperCase()}`,
        ownerZuid: owner.zuid,
        type,
        name: 'App',
        homepage: 'https://app.example.com',
        redirectUris: ['https://app.example.com/a', 'https://app.example.com/b?x=1'],
        jsDomains: [],
        postLogoutRedirectUris: ['https://app.example.com/bye'],
        backchannelLogoutUri: 'https://app.example.com/backchannel',
        backchannelLogoutSessionRequired: true,
        secretHash: id(),
        dpopBoundAccessTokens: false,
        accessTokenFormat: 'opaque',
        idTokenSignedResponseAlg: 'RS256',
        userinfoSignedResponseAlg: null,
        requirePushedAuthorizationRequests: false,
        createdAt: T0,
        updatedAt: T0,
      };
      await s.clients.create(c);
      return c;
    }

    function code(c: Client, u: User, overrides: Partial<AuthorizationCode> = {}): AuthorizationCode {
      return {
        id: id(),
        clientId: c.clientId,
        userZuid: u.zuid,
        scopes: 'ZohoCRM.modules.ALL',
        redirectUri: c.redirectUris[0]!,
        codeChallenge: null,
        codeChallengeMethod: null,
        nonce: 'n-1',
        amr: 'pwd otp mfa',
        authTime: T0 - 60_000,
        sid: 'sid-of-the-session',
        offline: true,
        kind: 'web',
        description: null,
        createdAt: T0,
        expiresAt: T0 + 120_000,
        consumedAt: null,
        ...overrides,
      };
    }

    const refresh = (c: Client, u: User, createdAt = T0, originCodeId: string | null = null): RefreshToken => ({
      id: id(),
      clientId: c.clientId,
      userZuid: u.zuid,
      scopes: 'ZohoCRM.modules.ALL',
      originCodeId,
      jkt: null,
      createdAt,
    });

    const access = (
      c: Client,
      u: User,
      refreshTokenId: string | null,
      originCodeId: string | null = null,
      createdAt = T0,
    ): AccessToken => ({
      id: id(),
      clientId: c.clientId,
      userZuid: u.zuid,
      scopes: 'ZohoCRM.modules.ALL',
      refreshTokenId,
      originCodeId,
      jkt: null,
      createdAt,
      expiresAt: createdAt + 3_600_000,
    });

    const accessExists = async (t: AccessToken) => (await s.tokens.findAccessToken(t.id)) !== undefined;

    test('users: found by zuid and by email in any case; emails are unique', async () => {
      const u = await user('Mixed.Case@Example.com');
      assert.deepEqual(await s.users.findByZuid(u.zuid), { ...u, email: 'mixed.case@example.com' });
      assert.equal((await s.users.findByEmail('MIXED.CASE@example.COM'))?.zuid, u.zuid);
      await assert.rejects(user('mixed.case@example.com'), (e) => e instanceof DuplicateError && e.what === 'email');
      assert.ok((await s.users.count()) >= 1);
      assert.equal(await s.users.updatePassword(u.zuid, '$argon2id$new', true), true);
      assert.deepEqual(await s.users.findByZuid(u.zuid), {
        ...u,
        email: 'mixed.case@example.com',
        passwordHash: '$argon2id$new',
        mustChangePassword: true,
      });
      assert.equal(await s.users.updatePassword('1', 'x', false), false);
    });

    test('users: disabled and re-enabled, made and unmade administrator; unknown users report false', async () => {
      const u = await user();
      assert.equal((await s.users.findByZuid(u.zuid))!.disabled, false);
      assert.equal(await s.users.setDisabled(u.zuid, true), true);
      assert.deepEqual(await s.users.findByZuid(u.zuid), { ...u, disabled: true });
      assert.equal((await s.users.findByEmail(u.email))!.disabled, true);
      assert.equal(await s.users.setAdmin(u.zuid, true), true);
      assert.deepEqual(await s.users.findByZuid(u.zuid), { ...u, disabled: true, isAdmin: true });
      assert.equal(await s.users.setDisabled(u.zuid, false), true);
      assert.equal(await s.users.setAdmin(u.zuid, false), true);
      assert.deepEqual(await s.users.findByZuid(u.zuid), u);
      assert.equal(await s.users.setDisabled('1', true), false);
      assert.equal(await s.users.setAdmin('1', true), false);
    });

    test('users: names replaced; an unknown user reports false', async () => {
      const u = await user();
      const names = { firstName: 'Bea', lastName: 'Ng', displayName: 'Bea Ng' };
      assert.equal(await s.users.updateNames(u.zuid, names), true);
      assert.deepEqual(await s.users.findByZuid(u.zuid), { ...u, ...names });
      assert.deepEqual(await s.users.findByEmail(u.email), { ...u, ...names });
      assert.equal(await s.users.updateNames('1', names), false);
    });

    test('tokens: an access token is stored only for an enabled user', async () => {
      const u = await user();
      const c = await client(u);
      const before = access(c, u, null);
      assert.equal(await s.tokens.createAccessToken(before), true);
      assert.deepEqual(await s.tokens.findAccessToken(before.id), before);
      await s.users.setDisabled(u.zuid, true);
      const during = access(c, u, null);
      assert.equal(await s.tokens.createAccessToken(during), false);
      assert.equal(await s.tokens.findAccessToken(during.id), undefined);
      assert.equal(await s.tokens.createAccessToken({ ...access(c, u, null), userZuid: '1' }), false, 'no such user');
      await s.users.setDisabled(u.zuid, false);
      assert.equal(await s.tokens.createAccessToken(access(c, u, null)), true);
    });

    test('tokens: access tokens stored at once share a commit, yet each is checked and answered alone', async () => {
      const [enabled, disabled] = [await user(), await user()];
      const [c, theirs] = [await client(enabled), await client(disabled)];
      await s.users.setDisabled(disabled.zuid, true);
      const kept = Array.from({ length: 5 }, () => access(c, enabled, null));
      const refused = access(theirs, disabled, null);
      // An unknown client fails its foreign key: on PostgreSQL the shared statement fails, and each is retried alone.
      const orphan = { ...access(c, enabled, null), clientId: '1000.NO-SUCH-CLIENT' };
      const outcomes = await Promise.allSettled([...kept, refused, orphan].map((t) => s.tokens.createAccessToken(t)));
      assert.deepEqual(
        outcomes.map((o) => o.status === 'fulfilled' && o.value),
        [true, true, true, true, true, false, false],
      );
      assert.equal(outcomes[6]!.status, 'rejected', 'only the orphan fails');
      assert.ok((outcomes[6] as PromiseRejectedResult).reason instanceof ClientGoneError, 'as a client that is gone');
      for (const t of kept) assert.deepEqual(await s.tokens.findAccessToken(t.id), t);
      for (const t of [refused, orphan]) assert.equal(await s.tokens.findAccessToken(t.id), undefined);
    });

    test("tokens: revoking all of a user's takes every code, refresh and access token for every client, and only theirs", async () => {
      const u = await user();
      const other = await user();
      const [c1, c2] = [await client(u), await client(other)];
      const r1 = refresh(c1, u);
      const r2 = refresh(c2, u);
      const mine = [access(c1, u, r1.id), access(c2, u, r2.id), access(c2, u, null)];
      const codes = [code(c1, u), code(c2, u)];
      const theirs = { refresh: refresh(c2, other), code: code(c2, other) };
      const theirAccess = access(c2, other, theirs.refresh.id);
      for (const r of [r1, r2, theirs.refresh]) await s.tokens.createRefreshToken(r);
      for (const a of [...mine, theirAccess]) await s.tokens.createAccessToken(a);
      for (const c of [...codes, theirs.code]) await s.codes.create(c);
      for (const a of mine) await s.tokens.findAccessToken(a.id); // remembered by a read cache, if any

      assert.equal(await s.tokens.revokeAllForUser(u.zuid), 7);
      for (const a of mine) {
        assert.equal(await s.tokens.findAccessToken(a.id), undefined);
        assert.equal(s.tokens.peekAccessToken(a.id), undefined);
      }
      for (const r of [r1, r2]) assert.equal(await s.tokens.findRefreshToken(r.id), undefined);
      for (const c of codes) assert.equal(await s.codes.find(c.id), undefined);
      assert.ok(await s.tokens.findAccessToken(theirAccess.id));
      assert.ok(await s.tokens.findRefreshToken(theirs.refresh.id));
      assert.ok(await s.codes.find(theirs.code.id));
      assert.equal(await s.tokens.revokeAllForUser(u.zuid), 0);
    });

    test('tokens: a disable racing a token issue waits for it, so the revocation that follows sees the token', async () => {
      const u = await user();
      const c = await client(u);
      const raced = access(c, u, null);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const issued = new Promise<void>((resolve) => (inserted = resolve));
      const issuing = s.transaction(async (tx) => {
        assert.equal(await tx.tokens.createAccessToken(raced), true);
        inserted();
        await held;
      });
      // The race this is about: the token is in (its transaction still open) when the disable starts. Started together,
      // the pool may run the disable first, and then there is no token to race.
      await issued;
      const disabling = s.transaction(async (tx) => {
        await tx.users.setDisabled(u.zuid, true);
        await tx.tokens.revokeAllForUser(u.zuid);
      });
      // Give the disable every chance to finish first, were it not made to wait.
      await new Promise((resolve) => setTimeout(resolve, 150));
      release();
      await Promise.all([issuing, disabling]);
      assert.equal(await s.tokens.findAccessToken(raced.id), undefined);
    });

    test('clients: round trip, list by owner, one Self Client per owner, secret replacement', async () => {
      const owner = await user();
      const c = await client(owner);
      assert.deepEqual(await s.clients.find(c.clientId), c);
      await client(owner, 'self');
      await assert.rejects(client(owner, 'self'), (e) => e instanceof DuplicateError && e.what === 'self_client');
      assert.equal((await s.clients.listByOwner(owner.zuid)).length, 2);
      assert.equal(await s.clients.updateSecretHash(c.clientId, 'new-hash', T0 + 1), true);
      assert.equal((await s.clients.find(c.clientId))?.secretHash, 'new-hash');
      assert.equal(await s.clients.updateSecretHash('1000.NOPE', 'x', T0), false);
    });

    test('clients: auth method, keys and the sealed secret round-trip; leaving client_secret_jwt drops the sealed secret', async () => {
      const owner = await user();
      const jwks = {
        keys: [
          {
            kty: 'EC',
            crv: 'P-256',
            x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
            y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
            kid: 'k1',
          },
        ],
      };
      const c: Client = {
        ...(await client(owner)),
        clientId: `1000.${id().slice(0, 30).toUpperCase()}`,
        tokenEndpointAuthMethod: 'client_secret_jwt',
        jwks,
        requireSignedRequestObject: true,
        sealedSecret: 'sealed-1',
      };
      await s.clients.create(c);
      assert.deepEqual(await s.clients.find(c.clientId), c);
      assert.equal(await s.clients.updateSecretHash(c.clientId, 'hash-2', T0 + 1, 'sealed-2'), true);
      assert.equal((await s.clients.find(c.clientId))?.sealedSecret, 'sealed-2');

      const { clientId: _id, ownerZuid: _o, type: _t, secretHash: _h, sealedSecret: _s, createdAt: _c, updatedAt: _u, ...fields } = c;
      const uri = 'https://app.example.com/jwks.json';
      const changed = {
        ...fields,
        tokenEndpointAuthMethod: 'private_key_jwt' as const,
        jwks: null,
        jwksUri: uri,
        requireSignedRequestObject: false,
      };
      assert.equal(await s.clients.updateFields(c.clientId, changed, T0 + 2), true);
      const found = (await s.clients.find(c.clientId))!;
      assert.equal(found.tokenEndpointAuthMethod, 'private_key_jwt');
      assert.equal(found.jwksUri, uri);
      assert.equal(found.jwks, undefined);
      assert.equal(found.requireSignedRequestObject, undefined);
      assert.equal(found.sealedSecret, undefined, 'only client_secret_jwt keeps the sealed secret');
      // A rotation without a sealed copy clears it too.
      assert.equal(await s.clients.updateSecretHash(c.clientId, 'hash-3', T0 + 3), true);
      assert.equal((await s.clients.find(c.clientId))?.secretHash, 'hash-3');
    });

    test("DPoP: a token's key thumbprint round-trips, alone, in a transaction and in a shared commit; clients may require it", async () => {
      const owner = await user();
      const c = await client(owner);
      const boundRefresh = { ...refresh(c, owner), jkt: 'refresh-jkt' };
      const unboundRefresh = refresh(c, owner);
      for (const r of [boundRefresh, unboundRefresh]) await s.tokens.createRefreshToken(r);
      assert.deepEqual(await s.tokens.findRefreshToken(boundRefresh.id), boundRefresh);
      assert.equal((await s.tokens.findRefreshToken(unboundRefresh.id))?.jkt, null);

      const inTransaction = { ...access(c, owner, boundRefresh.id), jkt: 'access-jkt-1' };
      await s.transaction((tx) => tx.tokens.createAccessToken(inTransaction));
      // Stored at once, outside a transaction: PostgreSQL batches these into one statement.
      const together = [{ ...access(c, owner, null), jkt: 'access-jkt-2' }, access(c, owner, null)];
      assert.deepEqual(await Promise.all(together.map((t) => s.tokens.createAccessToken(t))), [true, true]);
      for (const t of [inTransaction, ...together]) assert.deepEqual(await s.tokens.findAccessToken(t.id), t);

      const requiring = {
        ...c,
        clientId: `1000.${id().slice(0, 30).toUpperCase()}`,
        type: 'self' as const,
        dpopBoundAccessTokens: true,
        requirePushedAuthorizationRequests: true,
      };
      await s.clients.create(requiring);
      assert.deepEqual(await s.clients.find(requiring.clientId), requiring);
      assert.equal((await s.clients.find(c.clientId))?.dpopBoundAccessTokens, false);
    });

    test('RFC 8707 and 9068: audiences and granted resources round-trip, alone, in a transaction and in a shared commit; null reads as absent', async () => {
      const owner = await user();
      const c = await client(owner);
      const granting = { ...refresh(c, owner), resources: 'https://api.example.com https://reports.example.com/api' };
      await s.tokens.createRefreshToken(granting);
      assert.deepEqual(await s.tokens.findRefreshToken(granting.id), granting);
      const plain = refresh(c, owner);
      await s.tokens.createRefreshToken(plain);
      assert.equal('resources' in (await s.tokens.findRefreshToken(plain.id))!, false);

      const inTransaction = { ...access(c, owner, granting.id), audience: 'https://reports.example.com/api' };
      await s.transaction((tx) => tx.tokens.createAccessToken(inTransaction));
      const together = [{ ...access(c, owner, null), audience: 'https://api.example.com' }, access(c, owner, null)];
      assert.deepEqual(await Promise.all(together.map((t) => s.tokens.createAccessToken(t))), [true, true]);
      for (const t of [inTransaction, ...together]) assert.deepEqual(await s.tokens.findAccessToken(t.id), t);
      assert.equal('audience' in (await s.tokens.findAccessToken(together[1]!.id))!, false);

      const granted = code(c, owner, { resources: 'https://reports.example.com/api' });
      await s.codes.create(granted);
      assert.deepEqual(await s.codes.find(granted.id), granted);
      const consumed = await s.codes.consume(granted.id, T0 + 1);
      assert.equal(consumed.status === 'ok' && consumed.code.resources, 'https://reports.example.com/api');

      const jwtClient = { ...c, clientId: `1000.${id().slice(0, 30).toUpperCase()}`, accessTokenFormat: 'jwt' as const };
      await s.clients.create(jwtClient);
      assert.deepEqual(await s.clients.find(jwtClient.clientId), jwtClient);
      assert.equal((await s.clients.find(c.clientId))?.accessTokenFormat, 'opaque');
    });

    test('clients: fields replaced; a deleted client takes its codes, tokens and consents along; admins list all', async () => {
      const owner = await user();
      const c = await client(owner);
      const fields = {
        name: 'Renamed',
        homepage: null,
        redirectUris: ['https://new.example.com/cb'],
        jsDomains: [],
        postLogoutRedirectUris: ['https://new.example.com/bye', 'https://new.example.com/bye?again=1'],
        backchannelLogoutUri: null,
        backchannelLogoutSessionRequired: false,
        dpopBoundAccessTokens: true,
        accessTokenFormat: 'jwt' as const,
        idTokenSignedResponseAlg: 'EdDSA' as const,
        userinfoSignedResponseAlg: 'ES256' as const,
        requirePushedAuthorizationRequests: true,
      };
      assert.equal(await s.clients.updateFields(c.clientId, fields, T0 + 5), true);
      assert.deepEqual(await s.clients.find(c.clientId), { ...c, ...fields, updatedAt: T0 + 5 });
      assert.equal(await s.clients.updateFields('1000.NOPE', fields, T0), false);
      assert.ok((await s.clients.listAll()).some((x) => x.clientId === c.clientId));
      assert.ok((await s.users.list()).some((u) => u.zuid === owner.zuid));

      const r = refresh(c, owner);
      await s.tokens.createRefreshToken(r);
      const a = access(c, owner, r.id);
      await s.tokens.createAccessToken(a);
      const pending = code(c, owner);
      await s.codes.create(pending);
      await s.consents.grant(owner.zuid, c.clientId, 'ZohoCRM.modules.ALL', T0);
      const other = await user();
      await s.consents.grant(other.zuid, c.clientId, 'AaaServer.profile.READ', T0 + 1);
      assert.deepEqual(
        (await s.consents.listForClient(c.clientId)).map((x) => [x.userZuid, x.scopes]),
        [
          [other.zuid, 'AaaServer.profile.READ'],
          [owner.zuid, 'ZohoCRM.modules.ALL'],
        ],
      );

      assert.equal(await s.clients.delete(c.clientId), true);
      assert.equal(await s.clients.find(c.clientId), undefined);
      assert.equal(await s.tokens.findRefreshToken(r.id), undefined);
      assert.equal(await accessExists(a), false);
      assert.equal(await s.codes.find(pending.id), undefined);
      assert.deepEqual(await s.consents.listForClient(c.clientId), []);
      assert.equal(await s.clients.delete(c.clientId), false);
    });

    test('registrations (0021): an unowned client and its registration land together; updated; gone with the client', async () => {
      const unowned: Client = { ...(await client(await user())), clientId: `1000.${id().slice(0, 30).toUpperCase()}`, ownerZuid: null };
      const registration = {
        clientId: unowned.clientId,
        tokenHash: id(),
        metadata: { scope: 'openid', grant_types: ['authorization_code'] },
        createdAt: T0,
      };
      await s.registrations.create(unowned, registration);
      assert.deepEqual(await s.clients.find(unowned.clientId), unowned);
      assert.deepEqual(await s.registrations.find(unowned.clientId), registration);
      assert.ok((await s.clients.listAll()).some((c) => c.clientId === unowned.clientId && c.ownerZuid === null));

      // A registration whose client cannot be stored (a taken client ID) stores nothing.
      const taken = { ...registration, tokenHash: id() };
      await assert.rejects(s.registrations.create(unowned, taken));
      assert.deepEqual(await s.registrations.find(unowned.clientId), registration);

      const fields = { ...unowned, name: 'Renamed', redirectUris: ['https://new.example.com/cb'] };
      const change = (expectedTokenHash: string) => ({
        expectedTokenHash,
        tokenHash: id(),
        metadata: { scope: 'email' },
        fields,
        now: T0 + 9,
      });
      const racing = await Promise.all(
        [change(registration.tokenHash), change(registration.tokenHash), change(registration.tokenHash)].map((c) =>
          s.registrations.update(unowned.clientId, c).then((ok) => ok && c),
        ),
      );
      const won = racing.filter((c) => c !== false);
      assert.equal(won.length, 1, 'of updates racing with one token hash, one lands');
      assert.deepEqual(await s.registrations.find(unowned.clientId), {
        ...registration,
        tokenHash: won[0]!.tokenHash,
        metadata: { scope: 'email' },
      });
      assert.deepEqual(await s.clients.find(unowned.clientId), {
        ...unowned,
        name: 'Renamed',
        redirectUris: ['https://new.example.com/cb'],
        updatedAt: T0 + 9,
      });
      const stale = change(registration.tokenHash);
      assert.equal(await s.registrations.update(unowned.clientId, { ...stale, fields: { ...fields, name: 'Stale' } }), false);
      assert.equal((await s.clients.find(unowned.clientId))!.name, 'Renamed', 'a refused update changes nothing');
      assert.equal(await s.registrations.update('1000.NOPE', change(registration.tokenHash)), false);
      assert.equal(await s.clients.delete(unowned.clientId), true);
      assert.equal(await s.registrations.find(unowned.clientId), undefined);
    });

    test('initial access tokens (0021): used once, also in parallel, never after expiry; listed; deleted by label', async () => {
      const owner = await user();
      const token = {
        id: id(),
        label: `iat_${id().slice(0, 12)}`,
        ownerZuid: owner.zuid,
        createdAt: T0,
        expiresAt: T0 + 60_000,
        usedAt: null,
      };
      await s.initialAccessTokens.create(token);
      await assert.rejects(
        s.initialAccessTokens.create({ ...token, id: id() }),
        (err: unknown) => err instanceof DuplicateError && err.what === 'label',
      );
      assert.deepEqual(await s.initialAccessTokens.find(token.id), token);
      assert.equal(await s.initialAccessTokens.use(token.id, T0 + 60_000), undefined, 'expired at its expiry');
      const uses = await Promise.all(Array.from({ length: 5 }, () => s.initialAccessTokens.use(token.id, T0 + 1)));
      assert.deepEqual(
        uses.filter((u) => u !== undefined),
        [token],
      );
      assert.equal((await s.initialAccessTokens.find(token.id))!.usedAt, T0 + 1);
      assert.equal(await s.initialAccessTokens.use(token.id, T0 + 2), undefined, 'used');

      const forever = { ...token, id: id(), label: `iat_${id().slice(0, 12)}`, ownerZuid: null, expiresAt: null };
      await s.initialAccessTokens.create(forever);
      assert.deepEqual(await s.initialAccessTokens.use(forever.id, T0 + 10 ** 12), forever);
      assert.ok((await s.initialAccessTokens.list()).some((t) => t.label === forever.label));
      assert.equal(await s.initialAccessTokens.delete(forever.label), true);
      assert.equal(await s.initialAccessTokens.delete(forever.label), false);
      assert.equal(await s.initialAccessTokens.find(forever.id), undefined);
    });

    test('data centres (0013): users, clients, codes and tokens keep their DC; none stored reads back as none (the primary)', async () => {
      const ann = testUser({
        zuid: String(100_000_000_000 + Math.floor(Math.random() * 800_000_000_000)),
        email: `${id().slice(0, 8)}@example.eu`,
        createdAt: T0,
      });
      await s.users.create({ ...ann, dc: 'eu' });
      assert.deepEqual(await s.users.findByZuid(ann.zuid), { ...ann, dc: 'eu' });
      assert.equal((await s.users.findByEmail(ann.email))?.dc, 'eu');
      assert.equal((await s.users.list()).find((u) => u.zuid === ann.zuid)?.dc, 'eu');
      const legacy = await user();
      assert.equal('dc' in (await s.users.findByZuid(legacy.zuid))!, false);

      const c = await client(ann);
      assert.equal('homeDc' in (await s.clients.find(c.clientId))!, false);
      const homed: Client = { ...c, clientId: `1000.${id().slice(0, 30).toUpperCase()}`, homeDc: 'eu', otherDcs: ['us', 'in'] };
      await s.clients.create(homed);
      assert.deepEqual(await s.clients.find(homed.clientId), homed);
      assert.equal(await s.clients.updateOtherDataCenters(homed.clientId, ['us'], T0 + 5), true);
      assert.deepEqual(await s.clients.find(homed.clientId), { ...homed, otherDcs: ['us'], updatedAt: T0 + 5 });
      assert.equal(await s.clients.updateOtherDataCenters(homed.clientId, [], T0 + 6), true);
      assert.deepEqual(await s.clients.find(homed.clientId), { ...c, clientId: homed.clientId, homeDc: 'eu', updatedAt: T0 + 6 });
      assert.equal(await s.clients.updateOtherDataCenters('1000.NOPE', ['us'], T0), false);

      const codeInEu = code(c, ann, { dc: 'eu' });
      await s.codes.create(codeInEu);
      assert.deepEqual(await s.codes.find(codeInEu.id), codeInEu);
      const r = { ...refresh(c, ann), dc: 'eu' };
      await s.tokens.createRefreshToken(r);
      assert.deepEqual(await s.tokens.findRefreshToken(r.id), r);
      // Alone, and several at once (PostgreSQL stores those in one statement).
      const [one, ...many] = Array.from({ length: 4 }, () => ({ ...access(c, ann, r.id), dc: 'eu' }));
      assert.equal(await s.transaction((tx) => tx.tokens.createAccessToken(one!)), true);
      assert.deepEqual(await Promise.all(many.map((t) => s.tokens.createAccessToken(t))), [true, true, true]);
      for (const t of [one!, ...many]) assert.deepEqual(await s.tokens.findAccessToken(t.id), t);
      const primary = access(c, legacy, null);
      await s.tokens.createAccessToken(primary);
      assert.equal('dc' in (await s.tokens.findAccessToken(primary.id))!, false);
    });

    test('codes: consumed once; then reported used; expired ones are not consumed', async () => {
      const u = await user();
      const c = await client(u);
      const fresh = code(c, u);
      await s.codes.create(fresh);
      assert.deepEqual(await s.codes.find(fresh.id), fresh);
      const first = await s.codes.consume(fresh.id, T0 + 1000);
      assert.equal(first.status, 'ok');
      assert.equal(first.status === 'ok' && first.code.consumedAt, T0 + 1000);
      assert.equal((await s.codes.consume(fresh.id, T0 + 2000)).status, 'already_used');

      const old = code(c, u);
      await s.codes.create(old);
      assert.equal((await s.codes.consume(old.id, T0 + 120_000)).status, 'expired');
      assert.equal((await s.codes.find(old.id))?.consumedAt, null);
      assert.equal((await s.codes.consume(id(), T0)).status, 'not_found');

      // A Self Client code says nothing of a sign-in: no amr, no auth_time.
      const unsigned = code(c, u, { amr: null, authTime: null });
      await s.codes.create(unsigned);
      assert.deepEqual(await s.codes.find(unsigned.id), unsigned);
    });

    test('codes: of many concurrent consumptions exactly one wins', async () => {
      const u = await user();
      const c = await client(u);
      const contested = code(c, u);
      await s.codes.create(contested);
      const results = await Promise.all(Array.from({ length: 10 }, () => s.codes.consume(contested.id, T0 + 5)));
      assert.equal(results.filter((r) => r.status === 'ok').length, 1);
      assert.ok(results.every((r) => r.status === 'ok' || r.status === 'already_used'));
    });

    test('tokens: revoking a refresh token takes its access tokens along; an access token goes alone', async () => {
      const u = await user();
      const c = await client(u);
      const r = refresh(c, u);
      await s.tokens.createRefreshToken(r);
      assert.deepEqual(await s.tokens.findRefreshToken(r.id), r);
      const a1 = access(c, u, r.id);
      const a2 = access(c, u, r.id);
      const loose = access(c, u, null);
      for (const a of [a1, a2, loose]) await s.tokens.createAccessToken(a);
      assert.deepEqual(await s.tokens.findAccessToken(a1.id), a1);

      assert.equal(await s.tokens.revokeAccessToken(a1.id), true);
      assert.equal(await accessExists(a1), false);
      assert.equal(await accessExists(a2), true);
      assert.equal(await s.tokens.revokeRefreshToken(r.id), true);
      assert.equal(await accessExists(a2), false);
      assert.equal(await s.tokens.findRefreshToken(r.id), undefined);
      assert.equal(await accessExists(loose), true);
      assert.equal(await s.tokens.revokeRefreshToken(r.id), false);
    });

    test('tokens: everything issued from a code is revoked together', async () => {
      const u = await user();
      const c = await client(u);
      const origin = id();
      const r = refresh(c, u, T0, origin);
      await s.tokens.createRefreshToken(r);
      const fromCode = access(c, u, r.id, origin);
      const fromRefresh = access(c, u, r.id, origin);
      const unrelated = access(c, u, null, id());
      for (const a of [fromCode, fromRefresh, unrelated]) await s.tokens.createAccessToken(a);
      assert.equal(await s.tokens.revokeIssuedFromCode(origin), 3);
      assert.equal(await s.tokens.findRefreshToken(r.id), undefined);
      assert.equal(await accessExists(fromRefresh), false);
      assert.equal(await accessExists(unrelated), true);
    });

    test('tokens: eviction keeps the newest refresh tokens of a pair (by insertion, even at equal times)', async () => {
      const u = await user();
      const c = await client(u);
      const other = await client(u);
      const tokens = Array.from({ length: 5 }, () => refresh(c, u, T0));
      for (const t of tokens) await s.tokens.createRefreshToken(t);
      const otherPair = refresh(other, u);
      await s.tokens.createRefreshToken(otherPair);
      const doomedAccess = access(c, u, tokens[0]!.id);
      await s.tokens.createAccessToken(doomedAccess);

      assert.equal(await s.tokens.evictRefreshTokens({ userZuid: u.zuid }, c.clientId, 3), 2);
      assert.equal(await s.tokens.findRefreshToken(tokens[0]!.id), undefined);
      assert.equal(await s.tokens.findRefreshToken(tokens[1]!.id), undefined);
      for (const t of tokens.slice(2)) assert.ok(await s.tokens.findRefreshToken(t.id));
      assert.ok(await s.tokens.findRefreshToken(otherPair.id));
      assert.equal(await accessExists(doomedAccess), false);
      assert.equal(await s.tokens.evictRefreshTokens({ userZuid: u.zuid }, c.clientId, 3), 0);
    });

    test('tokens: eviction keeps the newest access tokens of a refresh token', async () => {
      const u = await user();
      const c = await client(u);
      const r = refresh(c, u);
      await s.tokens.createRefreshToken(r);
      const minted = Array.from({ length: 4 }, () => access(c, u, r.id));
      for (const a of minted) await s.tokens.createAccessToken(a);
      assert.equal(await s.tokens.evictAccessTokens(r.id, 2), 2);
      assert.deepEqual(await Promise.all(minted.map(accessExists)), [false, false, true, true]);
    });

    test('grants: listed per client with the union of scopes; revoking a grant removes every token of the pair', async () => {
      const u = await user();
      const c = await client(u);
      const r1 = { ...refresh(c, u, T0), scopes: 'ZohoCRM.modules.ALL' };
      const r2 = { ...refresh(c, u, T0 + 10), scopes: 'AaaServer.profile.READ' };
      await s.tokens.createRefreshToken(r1);
      await s.tokens.createRefreshToken(r2);
      const online = access(c, u, null);
      await s.tokens.createAccessToken(online);
      assert.deepEqual(await s.tokens.listGrants({ userZuid: u.zuid }), [
        {
          clientId: c.clientId,
          holder: { userZuid: u.zuid },
          scopes: 'ZohoCRM.modules.ALL AaaServer.profile.READ',
          refreshTokens: 2,
          firstGrantedAt: T0,
          lastGrantedAt: T0 + 10,
        },
      ]);
      assert.equal(await s.tokens.revokeGrant({ userZuid: u.zuid }, c.clientId), 3);
      assert.deepEqual(await s.tokens.listGrants({ userZuid: u.zuid }), []);
      assert.equal(await accessExists(online), false);
    });

    test('tokens: a refresh token keeps the sign-in its grant was made in; one of no sign-in reads back without', async () => {
      const u = await user();
      const c = await client(u);
      const signedIn = { ...refresh(c, u), signIn: { amr: 'pwd otp mfa', authTime: T0 - 60_000, sid: 'sid-1' } };
      const partly = { ...refresh(c, u), signIn: { amr: null, authTime: T0, sid: null } };
      const none = refresh(c, u);
      for (const t of [signedIn, partly, none]) await s.tokens.createRefreshToken(t);
      for (const t of [signedIn, partly, none]) assert.deepEqual(await s.tokens.findRefreshToken(t.id), t);
    });

    test("grants: an organisation's tokens are its own pair, apart from the administrator's, and read back with the org", async () => {
      const admin = await user();
      const c = await client(admin);
      const org = { id: String(10_000_000_000 + Math.floor(Math.random() * 80_000_000_000)), name: 'Org', dc: null, createdAt: T0 };
      await s.organisations.create(org);
      const own = refresh(c, admin, T0);
      const orgTokens = [T0 + 1, T0 + 2, T0 + 3].map((at) => ({ ...refresh(c, admin, at), orgId: org.id }));
      await s.tokens.createRefreshToken(own);
      for (const t of orgTokens) await s.tokens.createRefreshToken(t);
      const orgAccess = { ...access(c, admin, orgTokens[2]!.id), orgId: org.id };
      await s.tokens.createAccessToken(orgAccess);
      const orgCode = code(c, admin, { orgId: org.id });
      await s.codes.create(orgCode);
      assert.deepEqual(await s.tokens.findRefreshToken(orgTokens[0]!.id), orgTokens[0]);
      assert.deepEqual(await s.tokens.findAccessToken(orgAccess.id), orgAccess);
      assert.deepEqual(await s.codes.find(orgCode.id), orgCode);

      assert.deepEqual(
        (await s.tokens.listGrants({ userZuid: admin.zuid })).map((g) => [g.clientId, g.refreshTokens]),
        [[c.clientId, 1]],
        "the administrator's own grant leaves out the organisation's",
      );
      assert.deepEqual(
        (await s.tokens.listGrants({ orgId: org.id })).map((g) => [g.holder, g.refreshTokens]),
        [[{ orgId: org.id }, 3]],
      );
      assert.equal(await s.tokens.evictRefreshTokens({ userZuid: admin.zuid }, c.clientId, 0), 1, 'only the own token');
      assert.equal(await s.tokens.evictRefreshTokens({ orgId: org.id }, c.clientId, 2), 1, "the organisation's oldest");
      assert.equal(await s.tokens.findRefreshToken(orgTokens[0]!.id), undefined);
      assert.equal(await s.tokens.revokeGrant({ userZuid: admin.zuid }, c.clientId), 0, 'nothing of the org goes with the user');
      assert.equal(await s.tokens.revokeGrant({ orgId: org.id }, c.clientId), 3, 'two refresh tokens and the access token');
      assert.deepEqual(await s.tokens.listGrants({ orgId: org.id }), []);

      const later = { ...refresh(c, admin), orgId: org.id };
      await s.tokens.createRefreshToken(later);
      assert.ok((await s.tokens.revokeAllForUser(admin.zuid)) >= 2, "a disabled account's org-wide grants end with it");
      assert.equal(await s.tokens.findRefreshToken(later.id), undefined);
    });

    test('purge removes expired access tokens and codes only', async () => {
      const u = await user();
      const c = await client(u);
      const expired = access(c, u, null, null, T0 - 10_000_000);
      const live = access(c, u, null, null, T0);
      await s.tokens.createAccessToken(expired);
      await s.tokens.createAccessToken(live);
      const oldCode = code(c, u, { expiresAt: T0 - 1 });
      await s.codes.create(oldCode);
      assert.ok((await s.tokens.purgeExpired(T0)) >= 2);
      assert.equal(await accessExists(expired), false);
      assert.equal(await accessExists(live), true);
      assert.equal(await s.codes.find(oldCode.id), undefined);
    });

    test('refresh token scopes: replaced in place, seen by the next read (the read cache forgets the old row)', async () => {
      const u = await user();
      const c = await client(u);
      const r = refresh(c, u);
      await s.tokens.createRefreshToken(r);
      assert.equal((await s.tokens.findRefreshToken(r.id))!.scopes, r.scopes, 'read once (and cached)');
      assert.equal(await s.tokens.setRefreshTokenScopes(r.id, 'ZohoCRM.modules.ALL AaaServer.profile.READ'), true);
      assert.deepEqual(await s.tokens.findRefreshToken(r.id), { ...r, scopes: 'ZohoCRM.modules.ALL AaaServer.profile.READ' });
      assert.equal(await s.tokens.setRefreshTokenScopes(id(), 'ZohoCRM.modules.ALL'), false);
    });

    test('scope-enhancement tokens: found by id, consumed once while live, gone with their refresh token, purged', async () => {
      const u = await user();
      const c = await client(u);
      const r = refresh(c, u);
      await s.tokens.createRefreshToken(r);
      const token = (expiresAt: number) => ({ id: id(), clientId: c.clientId, refreshTokenId: r.id, createdAt: T0, expiresAt });
      const live = token(T0 + 600_000);
      await s.tokens.createScopeEnhancementToken(live);
      assert.deepEqual(await s.tokens.findScopeEnhancementToken(live.id), live);
      assert.equal(await s.tokens.findScopeEnhancementToken(id()), undefined);
      const racing = await Promise.all([1, 2, 3].map(() => s.tokens.consumeScopeEnhancementToken(live.id, T0)));
      assert.deepEqual(racing.filter(Boolean).length, 1, 'exactly one use counts');
      assert.equal(await s.tokens.findScopeEnhancementToken(live.id), undefined);

      const expired = token(T0 + 1000);
      await s.tokens.createScopeEnhancementToken(expired);
      assert.equal(await s.tokens.consumeScopeEnhancementToken(expired.id, T0 + 1000), false, 'not after it expires');
      assert.ok((await s.tokens.purgeExpired(T0 + 1001)) >= 1);
      assert.equal(await s.tokens.findScopeEnhancementToken(expired.id), undefined, 'purged');

      const pending = token(T0 + 600_000);
      await s.tokens.createScopeEnhancementToken(pending);
      assert.equal(await s.tokens.revokeRefreshToken(r.id), true);
      assert.equal(await s.tokens.findScopeEnhancementToken(pending.id), undefined, 'revoking the refresh token takes it along');
    });

    test('sessions: live until they expire, then gone; deletable', async () => {
      const u = await user();
      const session = { id: id(), userZuid: u.zuid, amr: 'pwd otp mfa', sid: id().slice(0, 32), createdAt: T0, expiresAt: T0 + 1000 };
      await s.sessions.create(session);
      assert.deepEqual(await s.sessions.findLive(session.id, T0 + 999), session);
      assert.equal(await s.sessions.findLive(session.id, T0 + 1000), undefined);
      assert.ok((await s.sessions.deleteExpired(T0 + 1001)).some((ended) => ended.sid === session.sid));
      const other = { ...session, id: id(), expiresAt: T0 + 5000 };
      await s.sessions.create(other);
      await s.sessions.delete(other.id);
      assert.equal(await s.sessions.findLive(other.id, T0), undefined);
    });

    test('sessions: deleting the expired ones says whose each was and its sid, to one of several racing callers only', async () => {
      const [u, other] = [await user(), await user()];
      const session = (owner: User, expiresAt: number) => ({
        id: id(),
        userZuid: owner.zuid,
        amr: 'pwd',
        sid: id().slice(0, 32),
        createdAt: T0,
        expiresAt,
      });
      const expired = [session(u, T0 + 2000), session(u, T0 + 2500), session(other, T0 + 2999)];
      const live = session(u, T0 + 3000);
      for (const x of [...expired, live]) await s.sessions.create(x);
      // Three nodes' purges at once (on PostgreSQL, three connections): each ended session is reported once.
      const racing = await Promise.all([1, 2, 3].map(() => s.sessions.deleteExpired(T0 + 3000)));
      const ours = new Set([...expired, live].map((x) => x.sid));
      const reported = racing.flat().filter((ended) => ours.has(ended.sid));
      const bySid = (a: { sid: string }, b: { sid: string }) => a.sid.localeCompare(b.sid);
      assert.deepEqual(reported.sort(bySid), expired.map(({ userZuid, sid }) => ({ userZuid, sid })).sort(bySid));
      for (const x of expired) assert.equal(await s.sessions.findLive(x.id, T0), undefined, 'gone');
      assert.deepEqual(await s.sessions.findLive(live.id, T0), live, 'not expired before the cut-off: kept');
      const again = await s.sessions.deleteExpired(T0 + 3000);
      assert.deepEqual(
        again.filter((ended) => ours.has(ended.sid)),
        [],
        'nothing left to report',
      );
    });

    test("sessions: every one of a user's ends together, and only theirs", async () => {
      const u = await user();
      const other = await user();
      const session = (owner: User) => ({
        id: id(),
        userZuid: owner.zuid,
        amr: 'pwd',
        sid: id().slice(0, 32),
        createdAt: T0,
        expiresAt: T0 + 60_000,
      });
      const mine = [session(u), session(u)];
      const theirs = session(other);
      for (const x of [...mine, theirs]) await s.sessions.create(x);
      // What ended is told by each session's public sid, for back-channel logout.
      assert.deepEqual((await s.sessions.deleteForUser(u.zuid)).sort(), mine.map((x) => x.sid).sort());
      for (const x of mine) assert.equal(await s.sessions.findLive(x.id, T0), undefined);
      assert.ok(await s.sessions.findLive(theirs.id, T0));
      assert.deepEqual(await s.sessions.deleteForUser(u.zuid), []);
    });

    test('counts: clients and consents (grants) are counted as they come and go', async () => {
      const u = await user();
      const [clientsBefore, consentsBefore] = [await s.clients.count(), await s.consents.count()];
      const c = await client(u);
      await s.consents.grant(u.zuid, c.clientId, 'ZohoCRM.modules.ALL', T0);
      await s.consents.grant(u.zuid, c.clientId, 'AaaServer.profile.READ', T0 + 1);
      assert.deepEqual([await s.clients.count(), await s.consents.count()], [clientsBefore + 1, consentsBefore + 1]);
      await s.consents.revoke(u.zuid, c.clientId);
      await s.clients.delete(c.clientId);
      assert.deepEqual([await s.clients.count(), await s.consents.count()], [clientsBefore, consentsBefore]);
    });

    test('consents: granted scopes accumulate; revoked consents are gone', async () => {
      const u = await user();
      const c = await client(u);
      assert.equal(await s.consents.find(u.zuid, c.clientId), undefined);
      await s.consents.grant(u.zuid, c.clientId, 'ZohoCRM.modules.ALL', T0);
      await s.consents.grant(u.zuid, c.clientId, 'AaaServer.profile.READ ZohoCRM.modules.ALL', T0 + 10);
      assert.deepEqual(await s.consents.find(u.zuid, c.clientId), {
        userZuid: u.zuid,
        clientId: c.clientId,
        scopes: 'AaaServer.profile.READ ZohoCRM.modules.ALL',
        firstGrantedAt: T0,
        lastGrantedAt: T0 + 10,
      });
      assert.equal((await s.consents.listForUser(u.zuid)).length, 1);
      assert.equal(await s.consents.revoke(u.zuid, c.clientId), true);
      assert.equal(await s.consents.revoke(u.zuid, c.clientId), false);
      assert.deepEqual(await s.consents.listForUser(u.zuid), []);
    });

    test('consents: concurrent first grants end in one consent with every scope', async () => {
      const u = await user();
      const c = await client(u);
      await Promise.all(['A.b.READ', 'C.d.READ', 'E.f.READ'].map((scope) => s.consents.grant(u.zuid, c.clientId, scope, T0)));
      const consent = await s.consents.find(u.zuid, c.clientId);
      assert.deepEqual(consent?.scopes.split(' ').sort(), ['A.b.READ', 'C.d.READ', 'E.f.READ']);
    });

    test('interactions: answered once, only by their user, and not after they expire', async () => {
      const u = await user();
      const c = await client(u);
      const interaction = { id: id(), userZuid: u.zuid, clientId: c.clientId, request: '{"a":1}', createdAt: T0, expiresAt: T0 + 600_000 };
      await s.interactions.create(interaction);
      const other = await user();
      assert.equal(await s.interactions.consume(interaction.id, other.zuid, T0 + 1), undefined, "another user's answer");
      const answers = await Promise.all([1, 2, 3].map(() => s.interactions.consume(interaction.id, u.zuid, T0 + 1)));
      assert.deepEqual(
        answers.filter((a) => a !== undefined),
        [interaction],
      );
      const late = { ...interaction, id: id() };
      await s.interactions.create(late);
      assert.equal(await s.interactions.consume(late.id, u.zuid, T0 + 600_000), undefined);
      assert.ok((await s.interactions.deleteExpired(T0 + 600_001)) >= 2);
    });

    test('device authorizations: answered once while live, polled, consumed once; user codes unique', async () => {
      const owner = await user();
      const device = await client(owner, 'device');
      const authorization = {
        id: id(),
        userCodeKey: id(),
        clientId: device.clientId,
        scopes: 'ZohoCRM.modules.ALL',
        offline: true,
        status: 'pending' as const,
        userZuid: null,
        createdAt: T0,
        expiresAt: T0 + 300_000,
        lastPolledAt: null,
        consumedAt: null,
      };
      await s.deviceAuthorizations.create(authorization);
      await assert.rejects(
        s.deviceAuthorizations.create({ ...authorization, id: id() }),
        (e) => e instanceof DuplicateError && e.what === 'user_code',
      );
      assert.deepEqual(await s.deviceAuthorizations.find(authorization.id), authorization);
      assert.deepEqual(await s.deviceAuthorizations.findByUserCode(authorization.userCodeKey), authorization);
      assert.equal(await s.deviceAuthorizations.consume(authorization.id, T0 + 1), false, 'not approved yet');

      const poll = (at: number) => s.deviceAuthorizations.notePoll(authorization.id, at, 5_000);
      assert.equal(await poll(T0 + 1_000), true, 'the first poll');
      assert.equal(await poll(T0 + 3_000), false, 'too soon');
      assert.equal(await poll(T0 + 5_999), false, 'too soon after the last recorded poll, not the refused one');
      const racing = await Promise.all([1, 2, 3, 4].map(() => poll(T0 + 10_000)));
      assert.equal(racing.filter(Boolean).length, 1, 'of polls racing within one interval, one is recorded');
      assert.equal(await s.deviceAuthorizations.decide(authorization.userCodeKey, 'approved', owner.zuid, T0 + 300_000), false, 'expired');
      assert.equal(await s.deviceAuthorizations.decide(authorization.userCodeKey, 'approved', owner.zuid, T0 + 20_000), true);
      assert.equal(await s.deviceAuthorizations.decide(authorization.userCodeKey, 'denied', owner.zuid, T0 + 21_000), false, 'answered');
      const approved = await s.deviceAuthorizations.find(authorization.id);
      assert.deepEqual([approved?.status, approved?.userZuid, approved?.lastPolledAt], ['approved', owner.zuid, T0 + 10_000]);

      const polls = await Promise.all([1, 2, 3].map(() => s.deviceAuthorizations.consume(authorization.id, T0 + 30_000)));
      assert.deepEqual(polls.filter(Boolean).length, 1, 'exactly one of concurrent polls takes the approval');
      assert.equal((await s.deviceAuthorizations.find(authorization.id))?.consumedAt, T0 + 30_000);

      const denied = { ...authorization, id: id(), userCodeKey: id() };
      await s.deviceAuthorizations.create(denied);
      assert.equal(await s.deviceAuthorizations.decide(denied.userCodeKey, 'denied', owner.zuid, T0 + 1), true);
      assert.equal(await s.deviceAuthorizations.consume(denied.id, T0 + 2), false);
      assert.ok((await s.deviceAuthorizations.deleteExpired(T0 + 300_001)) >= 2);
      assert.equal(await s.deviceAuthorizations.find(authorization.id), undefined);
    });

    test('signing keys: newest first; retired keys are no longer listed; a private key replaced only from its current form', async () => {
      const before = (await s.signingKeys.listActive()).length;
      const key = (kid: string, createdAt: number) => ({
        kid,
        algorithm: 'RS256' as const,
        privateKey: 'pem',
        publicJwk: '{}',
        createdAt,
        retiredAt: null,
      });
      const older = key(`k-${id().slice(0, 8)}`, T0);
      const newer = key(`k-${id().slice(0, 8)}`, T0 + 1);
      await s.signingKeys.create(older);
      await s.signingKeys.create(newer);
      const listed = await s.signingKeys.listActive();
      assert.equal(listed.length, before + 2);
      assert.deepEqual(listed[0], newer);
      assert.equal(await s.signingKeys.replacePrivateKey(newer.kid, 'not the current one', 'sealed'), false);
      assert.equal(await s.signingKeys.replacePrivateKey(newer.kid, 'pem', 'sealed'), true);
      assert.equal((await s.signingKeys.listActive())[0]!.privateKey, 'sealed');
      assert.equal(await s.signingKeys.replacePrivateKey(newer.kid, 'pem', 'sealed again'), false, 'only while still the current form');
      assert.equal(await s.signingKeys.retire(older.kid, T0 + 2), true);
      assert.equal(await s.signingKeys.retire(older.kid, T0 + 3), false);
      assert.ok(!(await s.signingKeys.listActive()).some((k) => k.kid === older.kid));
    });

    test('records: scoped to their owner; listed in pages with a more flag; updated and deleted only by the owner', async () => {
      const owner = await user();
      const stranger = await user();
      const seqId = (n: number) => `48768760000${String(n).padStart(8, '0')}`;
      const made = [];
      for (let n = 1; n <= 5; n++) {
        const r = {
          id: seqId(n + Math.floor(Math.random() * 1e6) * 10),
          module: 'crm.Leads',
          ownerZuid: owner.zuid,
          data: { Last_Name: `L${n}` },
          createdAt: T0 + n,
          modifiedAt: T0 + n,
        };
        await s.records.create(r);
        made.push(r);
      }
      const page1 = await s.records.list(owner.zuid, 'crm.Leads', { sortBy: 'Created_Time', sortOrder: 'desc', offset: 0, limit: 2 });
      assert.deepEqual(
        page1.records.map((r) => r.data.Last_Name),
        ['L5', 'L4'],
      );
      assert.equal(page1.more, true);
      const page3 = await s.records.list(owner.zuid, 'crm.Leads', { sortBy: 'Created_Time', sortOrder: 'desc', offset: 4, limit: 2 });
      assert.deepEqual([page3.records.length, page3.more], [1, false]);
      const chosen = await s.records.list(owner.zuid, 'crm.Leads', {
        sortBy: 'id',
        sortOrder: 'asc',
        offset: 0,
        limit: 10,
        ids: [made[0]!.id, made[2]!.id],
      });
      assert.equal(chosen.records.length, 2);

      assert.deepEqual(await s.records.get(owner.zuid, 'crm.Leads', made[0]!.id), made[0]);
      assert.equal(await s.records.get(stranger.zuid, 'crm.Leads', made[0]!.id), undefined);
      assert.equal(await s.records.get(owner.zuid, 'crm.Contacts', made[0]!.id), undefined);
      assert.deepEqual(
        (await s.records.list(stranger.zuid, 'crm.Leads', { sortBy: 'id', sortOrder: 'asc', offset: 0, limit: 10 })).records,
        [],
      );

      assert.equal(await s.records.update(stranger.zuid, 'crm.Leads', made[1]!.id, { Last_Name: 'X' }, T0 + 9), undefined);
      const updated = await s.records.update(owner.zuid, 'crm.Leads', made[1]!.id, { Last_Name: 'Y' }, T0 + 9);
      assert.deepEqual([updated?.data, updated?.modifiedAt, updated?.createdAt], [{ Last_Name: 'Y' }, T0 + 9, made[1]!.createdAt]);

      assert.deepEqual(await s.records.delete(stranger.zuid, 'crm.Leads', [made[2]!.id]), []);
      assert.deepEqual(await s.records.delete(owner.zuid, 'crm.Leads', [made[2]!.id, '1']), [made[2]!.id]);
      assert.equal(await s.records.get(owner.zuid, 'crm.Leads', made[2]!.id), undefined);
    });

    test('records: filters on JSON field values (text and number, any type mismatch excluded), keyset pages, modified since', async () => {
      const owner = await user();
      const base = 4_876_876_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)) * 1000n;
      const rows = [
        { Deal_Name: 'Alpha', Amount: 10, Closing_Date: '2026-01-01' },
        { Deal_Name: 'Alpine', Amount: 250.5, Closing_Date: '2026-06-30' },
        { Deal_Name: 'Beta', Amount: '10', Closing_Date: '2026-12-31' },
        { Deal_Name: 'x%_y', Amount: null, Description: 'has 50% off' },
      ].map((data, n) => ({
        id: String(base + BigInt(n)),
        module: 'crm.Deals',
        ownerZuid: owner.zuid,
        data,
        createdAt: T0 + n,
        modifiedAt: T0 + 10 * n,
      }));
      for (const r of rows) await s.records.create(r);
      const names = async (query: Partial<RecordQuery>) =>
        (await s.records.list(owner.zuid, 'crm.Deals', { sortBy: 'id', sortOrder: 'asc', offset: 0, limit: 10, ...query })).records.map(
          (r) => r.data.Deal_Name,
        );
      const eq = (field: string, as: 'text' | 'number', ...values: (string | number)[]): RecordFilter => ({
        kind: 'equals',
        field,
        as,
        values,
      });
      assert.deepEqual(await names({ filter: eq('Amount', 'number', 10) }), ['Alpha'], 'the string "10" is not the number 10');
      assert.deepEqual(await names({ filter: eq('Amount', 'text', '10') }), ['Beta'], 'nor the other way round');
      assert.deepEqual(await names({ filter: { kind: 'in', field: 'Deal_Name', as: 'text', values: ['Beta', 'Alpha', 'Gamma'] } }), [
        'Alpha',
        'Beta',
      ]);
      assert.deepEqual(await names({ filter: { kind: 'between', field: 'Amount', as: 'number', from: 5, to: 300 } }), ['Alpha', 'Alpine']);
      assert.deepEqual(
        await names({ filter: { kind: 'between', field: 'Closing_Date', as: 'text', from: '2026-02-01', to: '2026-12-31' } }),
        ['Alpine', 'Beta'],
      );
      assert.deepEqual(await names({ filter: { kind: 'starts_with', field: 'Deal_Name', value: 'Alp' } }), ['Alpha', 'Alpine']);
      assert.deepEqual(await names({ filter: { kind: 'starts_with', field: 'Deal_Name', value: 'alp' } }), [], 'case-sensitive');
      assert.deepEqual(await names({ filter: { kind: 'starts_with', field: 'Deal_Name', value: 'x%_' } }), ['x%_y'], 'no wildcards');
      assert.deepEqual(await names({ filter: { kind: 'starts_with', field: 'Deal_Name', value: '%' } }), []);
      assert.deepEqual(await names({ filter: { kind: 'contains', field: 'Description', value: '50%' } }), ['x%_y']);
      assert.deepEqual(await names({ filter: { kind: 'contains', field: 'Amount', value: '1' } }), ['Beta'], 'contains reads strings only');
      assert.deepEqual(
        await names({
          filter: {
            kind: 'or',
            filters: [
              eq('Deal_Name', 'text', 'Beta'),
              { kind: 'and', filters: [eq('Amount', 'number', 10), eq('Deal_Name', 'text', 'Alpha')] },
            ],
          },
        }),
        ['Alpha', 'Beta'],
      );
      assert.deepEqual(await names({ filter: eq('Deal_Name', 'text', "'; drop table records; --") }), []);
      assert.deepEqual(await names({ modifiedSince: T0 + 10 }), ['Beta', 'x%_y'], 'modified strictly after');
      assert.deepEqual(
        await names({ after: { sortValue: rows[1]!.id, id: rows[1]!.id }, limit: 1 }),
        ['Beta'],
        'keyset: after a record by id',
      );
      assert.deepEqual(
        await names({ sortBy: 'Created_Time', sortOrder: 'desc', after: { sortValue: rows[2]!.createdAt, id: rows[2]!.id } }),
        ['Alpine', 'Alpha'],
        'keyset: after a record by time, descending',
      );
    });

    test('records: upsert finds by the first duplicate check that matches, inserts otherwise, one insert under concurrency', async () => {
      const owner = await user();
      const stranger = await user();
      let n = 0;
      const nextId = () => String(4_876_877_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9)) * 1000n + BigInt(n++));
      const fresh = (ownerZuid: string, data: Record<string, unknown>) => ({
        id: nextId(),
        module: 'crm.Contacts',
        ownerZuid,
        data,
        createdAt: T0,
        modifiedAt: T0,
      });
      const byEmail = (value: string): DuplicateCheck[] => [{ field: 'Email', as: 'text', value }];
      const upsertContact = (ownerZuid: string, checks: DuplicateCheck[], data: Record<string, unknown>) =>
        s.records.upsert(ownerZuid, 'crm.Contacts', checks, (existing) =>
          existing ? { ...existing, data: { ...existing.data, ...data }, modifiedAt: T0 + 5 } : fresh(ownerZuid, data),
        );

      const inserted = await upsertContact(owner.zuid, byEmail('a@zylker.com'), { Last_Name: 'A', Email: 'a@zylker.com' });
      assert.equal(inserted?.action, 'insert');
      const updated = await upsertContact(owner.zuid, [{ field: 'Last_Name', as: 'text', value: 'None' }, ...byEmail('a@zylker.com')], {
        Title: 'CEO',
      });
      assert.deepEqual([updated?.action, updated?.duplicateField, updated?.record.id], ['update', 'Email', inserted!.record.id]);
      assert.deepEqual((await s.records.get(owner.zuid, 'crm.Contacts', inserted!.record.id))?.data, {
        Last_Name: 'A',
        Email: 'a@zylker.com',
        Title: 'CEO',
      });
      assert.equal(
        (await upsertContact(stranger.zuid, byEmail('a@zylker.com'), { Last_Name: 'S' }))?.action,
        'insert',
        "another owner's records are not found",
      );
      assert.equal(
        await s.records.upsert(owner.zuid, 'crm.Contacts', byEmail('b@zylker.com'), () => undefined),
        undefined,
        'decide may write nothing',
      );

      const racing = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          upsertContact(owner.zuid, byEmail('race@zylker.com'), { Last_Name: `R${i}`, Email: 'race@zylker.com' }),
        ),
      );
      assert.equal(racing.filter((r) => r?.action === 'insert').length, 1);
      const listed = await s.records.list(owner.zuid, 'crm.Contacts', { sortBy: 'id', sortOrder: 'asc', offset: 0, limit: 10 });
      assert.equal(listed.records.length, 2);
    });

    test('settings: the first value written wins, even under concurrent writers', async () => {
      const key = `k-${id().slice(0, 8)}`;
      const values = await Promise.all(['a', 'b', 'c'].map((v) => s.settings.getOrCreate(key, v)));
      assert.equal(new Set(values).size, 1);
      assert.equal(await s.settings.get(key), values[0]);
      assert.equal(await s.settings.get('no-such-key'), undefined);
    });

    test("API tokens: found by id, listed by name, names unique per user, deleted by name or all of a user's", async () => {
      const u = await user();
      const other = await user();
      await s.apiTokens.create({ id: id(), userZuid: u.zuid, name: 'deploy', createdAt: 1 });
      const ci = { id: id(), userZuid: u.zuid, name: 'ci', createdAt: 2 };
      await s.apiTokens.create(ci);
      await s.apiTokens.create({ id: id(), userZuid: other.zuid, name: 'ci', createdAt: 3 });
      await assert.rejects(
        s.apiTokens.create({ id: id(), userZuid: u.zuid, name: 'ci', createdAt: 4 }),
        (e) => e instanceof DuplicateError && e.what === 'name',
      );
      assert.deepEqual(await s.apiTokens.find(ci.id), ci);
      assert.deepEqual(
        (await s.apiTokens.listForUser(u.zuid)).map((t) => t.name),
        ['ci', 'deploy'],
      );
      assert.equal(await s.apiTokens.delete(u.zuid, 'ci'), true);
      assert.equal(await s.apiTokens.delete(u.zuid, 'ci'), false);
      assert.equal(await s.apiTokens.find(ci.id), undefined);
      assert.equal((await s.apiTokens.listForUser(other.zuid)).length, 1, "another user's token of the same name stays");
      assert.equal(await s.apiTokens.deleteForUser(u.zuid), 1);
      assert.deepEqual(await s.apiTokens.listForUser(u.zuid), []);
      assert.equal((await s.apiTokens.listForUser(other.zuid)).length, 1, "another user's tokens stay");
    });

    test('organisations: IDs unique, listed by name; members set, re-roled, listed admins first', async () => {
      const [ann, bob, cat] = [await user(), await user(), await user()];
      const orgId = () => String(10_000_000_000 + Math.floor(Math.random() * 80_000_000_000));
      const zylker = { id: orgId(), name: `Zylker ${id().slice(0, 6)}`, dc: 'eu', createdAt: T0 };
      const acme = { id: orgId(), name: `Acme ${id().slice(0, 6)}`, dc: null, createdAt: T0 + 1 };
      await s.organisations.create(zylker);
      await s.organisations.create(acme);
      await assert.rejects(s.organisations.create({ ...acme, name: 'Other' }), (e) => e instanceof DuplicateError && e.what === 'id');
      assert.deepEqual(await s.organisations.find(zylker.id), zylker);
      assert.equal(await s.organisations.find('99999999999'), undefined);
      const listed = (await s.organisations.list()).filter((o) => o.id === zylker.id || o.id === acme.id);
      assert.deepEqual(listed, [acme, zylker], 'by name');

      assert.equal(await s.organisations.setMember({ orgId: zylker.id, userZuid: bob.zuid, role: 'user', addedAt: T0 + 1 }), undefined);
      assert.equal(await s.organisations.setMember({ orgId: zylker.id, userZuid: ann.zuid, role: 'admin', addedAt: T0 + 2 }), undefined);
      assert.equal(await s.organisations.setMember({ orgId: acme.id, userZuid: bob.zuid, role: 'admin', addedAt: T0 + 3 }), undefined);
      assert.deepEqual(
        (await s.organisations.members(zylker.id)).map((m) => [m.userZuid, m.role]),
        [
          [ann.zuid, 'admin'],
          [bob.zuid, 'user'],
        ],
      );
      assert.equal(await s.organisations.roleOf(zylker.id, bob.zuid), 'user');
      assert.equal(await s.organisations.roleOf(zylker.id, cat.zuid), undefined);
      assert.deepEqual(await s.organisations.administeredBy(bob.zuid), [acme], 'a plain member administers nothing there');
      assert.deepEqual(await s.organisations.administeredBy(cat.zuid), []);
      // A new role keeps when the member was added.
      assert.equal(await s.organisations.setMember({ orgId: zylker.id, userZuid: bob.zuid, role: 'admin', addedAt: T0 + 9 }), 'user');
      assert.deepEqual(
        (await s.organisations.members(zylker.id)).find((m) => m.userZuid === bob.zuid),
        {
          orgId: zylker.id,
          userZuid: bob.zuid,
          role: 'admin',
          addedAt: T0 + 1,
        },
      );
    });

    test('second factors: one authenticator app per user, replaced on save; a time step is taken once and only forward', async () => {
      const u = await user();
      const other = await user();
      assert.equal(await s.factors.findTotp(u.zuid), undefined);
      assert.equal(await s.factors.useTotpStep(u.zuid, 10, T0), false, 'no app, no step');
      const first = { userZuid: u.zuid, sealedSecret: 'sealed-1', createdAt: T0, lastUsedAt: null, lastStep: 5 };
      await s.factors.saveTotp(first);
      assert.deepEqual(await s.factors.findTotp(u.zuid), first);
      const second = { ...first, sealedSecret: 'sealed-2', createdAt: T0 + 1, lastUsedAt: T0 + 1, lastStep: 7 };
      await s.factors.saveTotp(second);
      assert.deepEqual(await s.factors.findTotp(u.zuid), second);
      assert.equal(await s.factors.useTotpStep(u.zuid, 7, T0 + 2), false, 'the step already used');
      assert.equal(await s.factors.useTotpStep(u.zuid, 6, T0 + 2), false, 'an earlier step');
      const racing = await Promise.all(Array.from({ length: 8 }, () => s.factors.useTotpStep(u.zuid, 8, T0 + 3)));
      assert.equal(racing.filter(Boolean).length, 1, 'of parallel uses of one step, exactly one passes');
      assert.deepEqual(await s.factors.findTotp(u.zuid), { ...second, lastStep: 8, lastUsedAt: T0 + 3 });
      assert.equal(await s.factors.useTotpStep(other.zuid, 9, T0), false);
    });

    test('recovery codes: replaced as a set, each used once (also in parallel), counted; deleteAll removes every factor', async () => {
      const u = await user();
      const other = await user();
      assert.deepEqual(await s.factors.recoveryCodes(u.zuid), { left: 0, createdAt: null });
      const old = [id(), id()];
      await s.transaction((tx) => tx.factors.replaceRecoveryCodes(u.zuid, old, T0));
      const fresh = [id(), id(), id()];
      await s.transaction((tx) => tx.factors.replaceRecoveryCodes(u.zuid, fresh, T0 + 5));
      await s.transaction((tx) => tx.factors.replaceRecoveryCodes(other.zuid, [fresh[0]!], T0));
      assert.deepEqual(await s.factors.recoveryCodes(u.zuid), { left: 3, createdAt: T0 + 5 });
      assert.equal(await s.factors.useRecoveryCode(u.zuid, old[0]!, T0), false, 'the old set is gone');
      const racing = await Promise.all(Array.from({ length: 6 }, () => s.factors.useRecoveryCode(u.zuid, fresh[1]!, T0 + 6)));
      assert.equal(racing.filter(Boolean).length, 1);
      assert.deepEqual(await s.factors.recoveryCodes(u.zuid), { left: 2, createdAt: T0 + 5 });
      assert.deepEqual(await s.factors.recoveryCodes(other.zuid), { left: 1, createdAt: T0 }, "another user's code of the same hash stays");

      await s.factors.saveTotp({ userZuid: u.zuid, sealedSecret: 'x', createdAt: T0, lastUsedAt: null, lastStep: 0 });
      assert.equal(await s.factors.deleteAll(u.zuid), 1);
      assert.equal(await s.factors.findTotp(u.zuid), undefined);
      assert.deepEqual(await s.factors.recoveryCodes(u.zuid), { left: 0, createdAt: null });
      assert.equal(await s.factors.deleteAll(u.zuid), 0);
      assert.deepEqual(await s.factors.recoveryCodes(other.zuid), { left: 1, createdAt: T0 });
    });

    test('passkeys: added, found, listed oldest first, counted; the counter moves only forward (or stays 0), once', async () => {
      const u = await user();
      const other = await user();
      const passkey = (credentialId: string, createdAt: number, counter = 0) => ({
        credentialId,
        userZuid: u.zuid,
        publicKey: 'pQECAyYgASFYIA',
        counter,
        transports: ['internal', 'hybrid'],
        name: 'Laptop',
        createdAt,
        lastUsedAt: null,
      });
      const synced = passkey(`cred-${id()}`, T0 + 1);
      const key = passkey(`cred-${id()}`, T0, 5);
      await s.passkeys.add(synced);
      await s.passkeys.add(key);
      await s.passkeys.add({ ...passkey(`cred-${id()}`, T0), userZuid: other.zuid, transports: [] });
      assert.deepEqual(await s.passkeys.find(key.credentialId), key);
      assert.equal(await s.passkeys.find('cred-unknown'), undefined);
      assert.deepEqual(await s.passkeys.listForUser(u.zuid), [key, synced]);
      assert.equal(await s.passkeys.countForUser(u.zuid), 2);
      assert.deepEqual((await s.passkeys.listForUser(other.zuid))[0]!.transports, [], 'no transports reported');
      await assert.rejects(s.passkeys.add({ ...key, userZuid: other.zuid }), 'one credential ID, one passkey');

      assert.equal(await s.passkeys.useCounter(key.credentialId, 5, T0 + 2), false, 'the same count again');
      assert.equal(await s.passkeys.useCounter(key.credentialId, 0, T0 + 2), false, 'a counter that went back to 0');
      const racing = await Promise.all(Array.from({ length: 6 }, () => s.passkeys.useCounter(key.credentialId, 6, T0 + 3)));
      assert.equal(racing.filter(Boolean).length, 1, 'of parallel uses of one count, exactly one passes');
      assert.deepEqual(await s.passkeys.find(key.credentialId), { ...key, counter: 6, lastUsedAt: T0 + 3 });
      assert.equal(await s.passkeys.useCounter(synced.credentialId, 0, T0 + 4), true, 'no counter kept: 0 each time');
      assert.equal(await s.passkeys.useCounter(synced.credentialId, 0, T0 + 5), true);
      assert.equal((await s.passkeys.find(synced.credentialId))!.lastUsedAt, T0 + 5);
      assert.equal(await s.passkeys.useCounter('cred-unknown', 9, T0), false);

      assert.equal(await s.passkeys.remove(other.zuid, key.credentialId), false, "not another user's");
      assert.equal(await s.passkeys.remove(u.zuid, key.credentialId), true);
      assert.equal(await s.passkeys.remove(u.zuid, key.credentialId), false);
      assert.deepEqual(await s.passkeys.listForUser(u.zuid), [{ ...synced, lastUsedAt: T0 + 5 }]);
      assert.equal(await s.transaction((tx) => tx.passkeys.removeAllForUser(u.zuid)), 1);
      assert.equal(await s.passkeys.countForUser(u.zuid), 0);
      assert.equal(await s.passkeys.countForUser(other.zuid), 1, "another user's passkeys stay");
    });

    test('pushed requests (0024): taken once (also in parallel), only by their client, never after expiry; swept; gone with their client', async () => {
      const owner = await user();
      const c = await client(owner);
      const other = await client(owner);
      const live = { id: id(), clientId: c.clientId, request: '{"clientId":"x"}', expiresAt: T0 + 60_000 };
      const stale = { ...live, id: id(), expiresAt: T0 };
      for (const p of [live, stale]) await s.pushedRequests.create(p);
      assert.equal(await s.pushedRequests.take(live.id, other.clientId, T0), undefined, "another client's take finds nothing");
      const racing = await Promise.all(Array.from({ length: 6 }, () => s.pushedRequests.take(live.id, c.clientId, T0)));
      assert.deepEqual(
        racing.filter((r) => r !== undefined),
        [live],
        'exactly one of the parallel takes gets it, even after the wrong client tried',
      );
      assert.equal(await s.pushedRequests.take(live.id, c.clientId, T0), undefined, 'used up');
      assert.equal(await s.pushedRequests.take(stale.id, c.clientId, T0), undefined, 'expired');
      assert.equal(await s.pushedRequests.take('unknown', c.clientId, T0), undefined);
      await s.pushedRequests.create({ ...live, id: id() });
      assert.equal(await s.pushedRequests.deleteExpired(T0 + 1), 1, 'the expired one, not the live one');
      const doomed = { ...live, id: id() };
      await s.pushedRequests.create(doomed);
      await s.clients.delete(c.clientId);
      assert.equal(await s.pushedRequests.take(doomed.id, c.clientId, T0), undefined, 'deleted with its client');
    });

    test('passkey challenges: taken once (also in parallel), never after expiry; expired ones are swept', async () => {
      const u = await user();
      const live = { id: id(), purpose: 'register' as const, userZuid: u.zuid, expiresAt: T0 + 60_000 };
      const anonymous = { id: id(), purpose: 'passwordless' as const, userZuid: null, expiresAt: T0 + 60_000 };
      const stale = { id: id(), purpose: 'second-factor' as const, userZuid: u.zuid, expiresAt: T0 - 1 };
      for (const c of [live, anonymous, stale]) await s.passkeyChallenges.save(c);
      const racing = await Promise.all(Array.from({ length: 6 }, () => s.passkeyChallenges.consume(live.id, T0)));
      assert.deepEqual(
        racing.filter((c) => c !== undefined),
        [live],
        'of parallel takes of one challenge, exactly one gets it',
      );
      assert.equal(await s.passkeyChallenges.consume(live.id, T0), undefined, 'used up');
      assert.equal(await s.passkeyChallenges.consume(stale.id, T0), undefined, 'expired');
      assert.equal(await s.passkeyChallenges.consume('unknown', T0), undefined);
      await s.passkeyChallenges.save({ ...stale, id: id() });
      assert.equal(await s.passkeyChallenges.deleteExpired(T0), 1, 'the expired one, not the live one');
      assert.deepEqual(await s.passkeyChallenges.consume(anonymous.id, T0 + 59_999), anonymous);
    });

    test('transactions: all or nothing', async () => {
      const u = await user();
      const c = await client(u);
      const r = refresh(c, u);
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.tokens.createRefreshToken(r);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await s.tokens.findRefreshToken(r.id), undefined);
      await s.transaction((tx) => tx.tokens.createRefreshToken(r));
      assert.ok(await s.tokens.findRefreshToken(r.id));
    });

    // SQLite serves these point reads from a cache; whatever the store, a read must show the latest committed change.
    test('point reads show every change at once: updates, deletes, cascades, and never a rolled-back write', async () => {
      const u = await user();
      const c = await client(u);
      const r = refresh(c, u);
      await s.tokens.createRefreshToken(r);
      const a = access(c, u, r.id);
      await s.tokens.createAccessToken(a);
      const lead = {
        id: `48768760${String(Math.floor(Math.random() * 1e11)).padStart(11, '0')}`,
        module: 'crm.Leads',
        ownerZuid: u.zuid,
        data: { Last_Name: 'Old' },
        createdAt: T0,
        modifiedAt: T0,
      };
      await s.records.create(lead);
      // Warm every read, twice.
      for (let i = 0; i < 2; i++) {
        assert.ok(await s.users.findByZuid(u.zuid));
        assert.ok(await s.clients.find(c.clientId));
        assert.ok(await s.tokens.findRefreshToken(r.id));
        assert.ok(await s.tokens.findAccessToken(a.id));
        assert.ok(await s.records.get(u.zuid, 'crm.Leads', lead.id));
      }
      // A peek answers from memory (SQLite) or not at all (PostgreSQL), never other than a read would.
      const peekedToken = s.tokens.peekAccessToken(a.id);
      if (peekedToken !== undefined) assert.deepEqual(peekedToken, a);
      const peekedClient = s.clients.peek(c.clientId);
      if (peekedClient !== undefined) assert.deepEqual(peekedClient, await s.clients.find(c.clientId));
      const peekedLead = s.records.peek(u.zuid, 'crm.Leads', lead.id);
      if (peekedLead !== undefined) assert.deepEqual(peekedLead, lead);
      assert.equal(s.records.peek(`${u.zuid}0`, 'crm.Leads', lead.id), undefined, "another owner's peek");
      assert.equal(await s.records.get(`${u.zuid}0`, 'crm.Leads', lead.id), undefined, "another owner's read of a remembered record");
      assert.equal(await s.records.get(u.zuid, 'crm.Contacts', lead.id), undefined, "another module's read of a remembered record");

      await s.users.updatePassword(u.zuid, '$argon2id$new', true);
      assert.equal((await s.users.findByZuid(u.zuid))!.passwordHash, '$argon2id$new');
      await s.clients.updateSecretHash(c.clientId, 'rotated', T0 + 1);
      assert.equal((await s.clients.find(c.clientId))!.secretHash, 'rotated');
      assert.notEqual(s.clients.peek(c.clientId)?.secretHash, c.secretHash, 'no peek answers the old secret');
      await s.records.update(u.zuid, 'crm.Leads', lead.id, { Last_Name: 'New' }, T0 + 1);
      assert.deepEqual((await s.records.get(u.zuid, 'crm.Leads', lead.id))!.data, { Last_Name: 'New' });
      assert.notEqual(s.records.peek(u.zuid, 'crm.Leads', lead.id)?.data.Last_Name, 'Old');

      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.clients.updateSecretHash(c.clientId, 'never', T0 + 2);
          assert.equal((await tx.clients.find(c.clientId))!.secretHash, 'never', 'a transaction sees its own write');
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await s.clients.find(c.clientId))!.secretHash, 'rotated');

      // Revoking the refresh token cascades to its access token; deleting the client to everything it holds.
      await s.tokens.revokeRefreshToken(r.id);
      assert.equal(await s.tokens.findRefreshToken(r.id), undefined);
      assert.equal(await s.tokens.findAccessToken(a.id), undefined);
      assert.equal(s.tokens.peekAccessToken(a.id), undefined);
      const a2 = access(c, u, null);
      await s.tokens.createAccessToken(a2);
      assert.ok(await s.tokens.findAccessToken(a2.id));
      await s.clients.delete(c.clientId);
      assert.equal(await s.clients.find(c.clientId), undefined);
      assert.equal(s.clients.peek(c.clientId), undefined);
      assert.equal(await s.tokens.findAccessToken(a2.id), undefined);
      assert.equal(s.tokens.peekAccessToken(a2.id), undefined);
      await s.records.delete(u.zuid, 'crm.Leads', [lead.id]);
      assert.equal(await s.records.get(u.zuid, 'crm.Leads', lead.id), undefined);
      assert.equal(s.records.peek(u.zuid, 'crm.Leads', lead.id), undefined);
    });

    test('ping: answers while the store is open, fails once it is closed; close is idempotent', async () => {
      await s.ping();
      const other = await kind.open();
      await other.storage.ping();
      await other.storage.close();
      await assert.rejects(other.storage.ping());
      await other.dispose();
    });

    test('close: transactions accepted before it are committed, not dropped', async () => {
      const other = await kind.open();
      const u = await user();
      const c = await client(u);
      // Copy the owner and client into the other store, then start writes and close without awaiting them first.
      await other.storage.users.create(u);
      await other.storage.clients.create(c);
      const tokens = Array.from({ length: 5 }, () => access(c, u, null));
      const writes = tokens.map((t) => other.storage.transaction((tx) => tx.tokens.createAccessToken(t)));
      await other.storage.close();
      assert.deepEqual(
        await Promise.all(writes),
        tokens.map(() => true),
      );
      // Read through a connection of the test's own: the rows are in the database, not only promised.
      const stored = (await other.snapshot())['access_tokens'] ?? [];
      for (const t of tokens)
        assert.ok(
          stored.some((row) => row.includes(t.id)),
          `token ${t.id} is stored`,
        );
      await other.dispose();
    });

    test('transactions: a lock serialises count-then-evict, so a limit cannot be raced past', async () => {
      const u = await user();
      const c = await client(u);
      const limit = 3;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          s.transaction(async (tx) => {
            await tx.lock(`refresh:${u.zuid}:${c.clientId}`);
            await tx.tokens.createRefreshToken(refresh(c, u));
            await tx.tokens.evictRefreshTokens({ userZuid: u.zuid }, c.clientId, limit);
          }),
        ),
      );
      assert.equal((await s.tokens.listGrants({ userZuid: u.zuid }))[0]?.refreshTokens, limit);
    });

    /** An event about `clientId` (unique per test, so tests sharing the store do not see each other's events). */
    const auditEvent = (clientId: string, overrides: Partial<AuditEvent> = {}): AuditEvent => ({
      at: T0,
      type: 'client.updated',
      actor: { kind: 'user', id: '100000000001', name: 'admin@example.com' },
      userZuid: null,
      clientId,
      subject: null,
      address: '192.0.2.7',
      outcome: 'success',
      detail: null,
      ...overrides,
    });

    test('audit events: stored as given and listed newest first, page by page through the cursor', async () => {
      const clientId = `1000.${id().slice(0, 30)}`;
      const first = auditEvent(clientId, {
        type: 'user.signin.failed',
        outcome: 'failure',
        detail: 'wrong_password',
        subject: 'x@example.com',
      });
      await s.auditEvents.append(first);
      for (let i = 1; i < 5; i++) await s.auditEvents.append(auditEvent(clientId, { at: T0 + i }));
      const all = await s.auditEvents.list({ clientId, limit: 10 });
      assert.deepEqual(
        all.map((e) => e.at),
        [T0 + 4, T0 + 3, T0 + 2, T0 + 1, T0],
      );
      const { id: _id, ...stored } = all[4]!;
      assert.deepEqual(stored, first);

      const page1 = await s.auditEvents.list({ clientId, limit: 2 });
      const page2 = await s.auditEvents.list({ clientId, limit: 2, beforeId: page1[1]!.id });
      const page3 = await s.auditEvents.list({ clientId, limit: 2, beforeId: page2[1]!.id });
      assert.deepEqual(
        [...page1, ...page2, ...page3].map((e) => e.id),
        all.map((e) => e.id),
      );
    });

    test('audit events: filtered by type, user (subject or actor), client and time', async () => {
      const clientId = `1000.${id().slice(0, 30)}`;
      const zuid = String(200_000_000_000 + Math.floor(Math.random() * 700_000_000_000));
      await s.auditEvents.append(auditEvent(clientId, { type: 'client.created', at: T0 }));
      await s.auditEvents.append(auditEvent(clientId, { type: 'grant.revoked', userZuid: zuid, at: T0 + 10 }));
      await s.auditEvents.append(
        auditEvent(clientId, { type: 'client.deleted', actor: { kind: 'user', id: zuid, name: null }, at: T0 + 20 }),
      );
      const types = async (query: Omit<AuditQuery, 'limit'>) =>
        (await s.auditEvents.list({ clientId, ...query, limit: 10 })).map((e) => e.type);

      assert.deepEqual(await types({ type: 'grant.revoked' }), ['grant.revoked']);
      assert.deepEqual(await types({ userZuid: zuid }), ['client.deleted', 'grant.revoked']);
      assert.deepEqual(await types({ since: T0 + 10 }), ['client.deleted', 'grant.revoked']);
      assert.deepEqual(await types({ until: T0 + 10 }), ['client.created']);
      assert.deepEqual(await types({ since: T0 + 5, until: T0 + 15 }), ['grant.revoked']);
      assert.deepEqual(await s.auditEvents.list({ clientId: `1000.${id().slice(0, 30)}`, limit: 10 }), []);
    });

    test('audit events: pruning deletes those older than the cut-off and keeps the rest', async () => {
      const clientId = `1000.${id().slice(0, 30)}`;
      const old = T0 - 400 * 86_400_000;
      await s.auditEvents.append(auditEvent(clientId, { at: old }));
      await s.auditEvents.append(auditEvent(clientId, { at: old + 1 }));
      await s.auditEvents.append(auditEvent(clientId, { at: T0 }));
      assert.ok((await s.auditEvents.deleteOlderThan(old + 2)) >= 2);
      assert.deepEqual(
        (await s.auditEvents.list({ clientId, limit: 10 })).map((e) => e.at),
        [T0],
      );
    });

    test('audit events: appended in a transaction that fails, the event goes with it', async () => {
      const clientId = `1000.${id().slice(0, 30)}`;
      await assert.rejects(
        s.transaction(async (tx) => {
          await tx.auditEvents.append(auditEvent(clientId));
          throw new Error('the action failed');
        }),
        /the action failed/,
      );
      assert.deepEqual(await s.auditEvents.list({ clientId, limit: 10 }), []);
    });
  });
}
