import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { createApiToken } from '../../src/core/api-tokens/api-tokens.js';
import type { AuditEvent } from '../../src/core/audit/audit-log.js';
import { purgeExpired } from '../../src/core/purge.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { BrowserAgent } from '../support/browser-agent.js';
import { describeEach } from '../support/each-store.js';
import { Harness } from '../support/harness.js';
import { STORE_KINDS, type StoreKind } from '../support/stores.js';

const PASSWORD = 'correct horse battery';
const REDIRECT = 'https://app.example.com/callback';
const DAY_MS = 24 * 60 * 60_000;
/** A server-based app, as POST /api/v1/clients takes it. */
const serverApp = (name: string) => ({ type: 'server', name, homepage: 'https://app.example.com', redirect_uris: [REDIRECT] });

/** An address from TEST-NET-3 per call: the server believes X-Forwarded-For from 127.0.0.1 in these tests. */
const newAddress = () => `203.0.113.${1 + Math.floor(Math.random() * 250)}`;

interface WireEvent {
  at: string;
  type: string;
  outcome: string;
  detail: string | null;
  actor: { kind: string; id: string | null; name: string | null };
  user_zuid: string | null;
  client_id: string | null;
  subject: string | null;
  address: string | null;
}

/** `/api/v1` as a script calls it, with an administrator's API token, from `address`. */
async function adminApi(h: Harness) {
  const admin = await h.user({ isAdmin: true });
  const tokenName = `audit-${randomBytes(3).toString('hex')}`;
  const deps = { users: h.storage.users, apiTokens: h.storage.apiTokens, hasher: h.gatehouse.hasher, now: h.clock.now };
  const { token } = await createApiToken({ email: admin.email, name: tokenName }, deps);
  const address = newAddress();
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${h.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-forwarded-for': address,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, any>) : undefined };
  };
  /** The events the filters select, newest first, every page followed. */
  const events = async (filters: Record<string, string>): Promise<WireEvent[]> => {
    const all: WireEvent[] = [];
    let cursor: string | null = null;
    do {
      const page = await call('GET', `/audit-events?${new URLSearchParams({ ...filters, ...(cursor ? { cursor } : {}) })}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      all.push(...(page.body!.events as WireEvent[]));
      cursor = page.body!.next as string | null;
    } while (cursor);
    return all;
  };
  const byToken = { kind: 'api_token', id: admin.zuid, name: tokenName };
  return { admin, token, address, call, events, byToken };
}

/** The one event of `type` among `events`, with the fields a test cares about. */
function only(events: WireEvent[], type: string): WireEvent {
  const matching = events.filter((e) => e.type === type);
  assert.equal(matching.length, 1, `one ${type} in ${JSON.stringify(events.map((e) => e.type))}`);
  return matching[0]!;
}

function pick(event: WireEvent, ...fields: Array<keyof WireEvent>): Partial<WireEvent> {
  return Object.fromEntries(fields.map((f) => [f, event[f]]));
}

describeEach(
  'audit log',
  STORE_KINDS,
  (kind) => Harness.start(kind, { limits: { codeRate: null } }, { trustProxy: '127.0.0.1' }),
  (h) => h.close(),
  (get) => {
    test('sign-ins: succeeded, failed (wrong password, unknown account, disabled) and throttled, with the address and the email typed', async () => {
      const h = get();
      const { call, events } = await adminApi(h);
      const user = await h.user();
      const address = newAddress();
      const browser = () => new BrowserAgent(h.baseUrl, { 'x-forwarded-for': address });
      assert.equal((await browser().signIn(user.email, PASSWORD)).status, 303);
      assert.equal((await browser().signIn(user.email, 'not the password')).status, 401);
      assert.equal((await call('POST', `/users/${user.zuid}/disable`)).status, 200);
      assert.equal((await browser().signIn(user.email, PASSWORD)).status, 403);

      const seen = await events({ user: user.zuid });
      assert.deepEqual(pick(only(seen, 'user.signin.succeeded'), 'actor', 'subject', 'address', 'outcome'), {
        actor: { kind: 'user', id: user.zuid, name: user.email },
        subject: user.email,
        address,
        outcome: 'success',
      });
      const failures = seen.filter((e) => e.type === 'user.signin.failed');
      assert.deepEqual(
        failures.map((e) => pick(e, 'actor', 'user_zuid', 'address', 'outcome', 'detail')),
        ['disabled', 'wrong_password'].map((detail) => ({
          actor: { kind: 'anonymous', id: null, name: null },
          user_zuid: user.zuid,
          address,
          outcome: 'failure',
          detail,
        })),
      );

      // An unknown account is recorded by the email typed; past the limit, every attempt is a throttled one, and the
      // refusals are recorded once per address until the limit's window ends, however many follow (metrics count them).
      const stranger = `nobody-${randomBytes(3).toString('hex')}@example.com`;
      for (let i = 0; i < 9; i++) await browser().signIn(stranger, `guess ${i}`);
      const guesses = (await events({ type: 'user.signin.failed' })).filter((e) => e.subject === stranger);
      assert.equal(guesses.length, 5);
      assert.ok(guesses.every((e) => e.detail === 'unknown_account' && e.user_zuid === null && e.address === address));
      const throttled = (await events({ type: 'user.signin.throttled' })).filter((e) => e.subject === stranger);
      assert.deepEqual(
        throttled.map((e) => pick(e, 'outcome', 'address')),
        [{ outcome: 'failure', address }],
      );
    });

    test("an administrator's user actions through the API: created, disabled, enabled, role, password reset, by the token's owner and name", async () => {
      const h = get();
      const { call, events, byToken, address } = await adminApi(h);
      const email = `made-${randomBytes(3).toString('hex')}@example.com`;
      const created = await call('POST', '/users', { email, first_name: 'Nia', last_name: 'Ward' });
      assert.equal(created.status, 201);
      const zuid = created.body!.user.zuid as string;
      for (const [method, path, body] of [
        ['POST', `/users/${zuid}/disable`],
        ['POST', `/users/${zuid}/enable`],
        ['PATCH', `/users/${zuid}`, { is_admin: true }],
        ['POST', `/users/${zuid}/reset-password`],
      ] as const) {
        assert.equal((await call(method, path, body)).status, 200, `${method} ${path}`);
      }
      const seen = await events({ user: zuid });
      assert.deepEqual(
        seen.map((e) => e.type),
        ['user.password.reset', 'user.role.changed', 'user.enabled', 'user.disabled', 'user.created'],
      );
      for (const event of seen) {
        assert.deepEqual(pick(event, 'actor', 'user_zuid', 'subject', 'address', 'outcome'), {
          actor: byToken,
          user_zuid: zuid,
          subject: email,
          address,
          outcome: 'success',
        });
      }
      assert.equal(only(seen, 'user.role.changed').detail, 'administrator');
    });

    test('clients through the API: created, updated, secret rotated, Self Client code, grant revoked, deleted', async () => {
      const h = get();
      const { admin, call, events, byToken, address } = await adminApi(h);
      const created = await call('POST', '/clients', serverApp('Audit App'));
      assert.equal(created.status, 201);
      const clientId = created.body!.client.client_id as string;
      assert.equal((await call('PATCH', `/clients/${clientId}`, { name: 'Audit App Two' })).status, 200);
      assert.equal((await call('POST', `/clients/${clientId}/secret`)).status, 200);
      assert.equal((await call('DELETE', `/clients/${clientId}`)).status, 204);
      const seen = await events({ client: clientId });
      assert.deepEqual(
        seen.map((e) => [e.type, e.subject]),
        [
          ['client.deleted', 'Audit App Two'],
          ['client.secret.rotated', 'Audit App Two'],
          ['client.updated', 'Audit App Two'],
          ['client.created', 'Audit App'],
        ],
      );
      assert.ok(
        seen.every((e) => e.user_zuid === admin.zuid && e.address === address && JSON.stringify(e.actor) === JSON.stringify(byToken)),
      );

      const self = await call('POST', '/clients', { type: 'self' });
      const selfId = self.body!.client.client_id as string;
      const generated = await call('POST', `/clients/${selfId}/codes`, { scope: 'ZohoCRM.modules.ALL' });
      assert.equal(generated.status, 201);
      await h.exchange({ clientId: selfId, clientSecret: self.body!.client_secret, redirectUris: [] }, generated.body!.code);
      assert.equal((await call('DELETE', `/clients/${selfId}/grants/${admin.zuid}`)).status, 204);
      const selfEvents = await events({ client: selfId });
      assert.deepEqual(
        selfEvents.map((e) => e.type),
        ['grant.revoked', 'selfclient.code.generated', 'client.created'],
        'the token issue itself is not audited',
      );
      assert.equal(only(selfEvents, 'selfclient.code.generated').subject, 'ZohoCRM.modules.ALL');
      assert.deepEqual(pick(only(selfEvents, 'grant.revoked'), 'actor', 'user_zuid'), { actor: byToken, user_zuid: admin.zuid });
    });

    test("a user's own actions: consent, password change, connected-apps revoke; a client's revocation", async () => {
      const h = get();
      const { events } = await adminApi(h);
      const owner = await h.user();
      const client = await h.client(owner, 'server');
      const user = await h.user();
      const address = newAddress();
      const agent = new BrowserAgent(h.baseUrl, { 'x-forwarded-for': address });
      await agent.signIn(user.email, PASSWORD);
      const scope = 'ZohoCRM.modules.ALL';
      const consent = await agent.get(
        `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: REDIRECT, scope, access_type: 'offline' })}`,
      );
      const back = await agent.post('/oauth/v2/auth/consent', {
        csrf: consent.field('csrf'),
        interaction: consent.field('interaction'),
        decision: 'accept',
      });
      const tokens = await h.exchange(client, back.redirectParams().get('code')!, { redirect_uri: REDIRECT });
      const revoked = await h.post(
        '/oauth/v2/token/revoke',
        { token: tokens.refresh_token!, client_id: client.clientId, client_secret: client.clientSecret! },
        { headers: { 'x-forwarded-for': '198.51.100.9' } },
      );
      assert.equal(revoked.status, 200);
      const apps = await agent.get('/account/connected-apps');
      await agent.post('/account/connected-apps/revoke', { csrf: apps.field('csrf'), client_id: client.clientId });
      const form = await agent.get('/account/password');
      const changed = await agent.post('/account/password', {
        csrf: form.field('csrf'),
        return_to: form.field('return_to'),
        current_password: PASSWORD,
        new_password: 'an even better password',
        confirm_password: 'an even better password',
      });
      assert.equal(changed.status, 303);

      const seen = await events({ user: user.zuid });
      const asUser = { kind: 'user', id: user.zuid, name: user.email };
      assert.deepEqual(pick(only(seen, 'consent.granted'), 'actor', 'client_id', 'subject', 'address'), {
        actor: asUser,
        client_id: client.clientId,
        subject: scope,
        address,
      });
      assert.deepEqual(pick(only(seen, 'token.revoked'), 'actor', 'client_id', 'subject', 'address'), {
        actor: { kind: 'client', id: client.clientId, name: null },
        client_id: client.clientId,
        subject: 'refresh_token',
        address: '198.51.100.9',
      });
      assert.deepEqual(pick(only(seen, 'grant.revoked'), 'actor', 'client_id', 'address'), {
        actor: asUser,
        client_id: client.clientId,
        address,
      });
      assert.deepEqual(pick(only(seen, 'user.password.changed'), 'actor', 'address'), { actor: asUser, address });
    });

    test('no stored event holds a password, code, token, client secret or API token used around it', async () => {
      const h = get();
      const { token: apiToken, call } = await adminApi(h);
      const secrets: string[] = [apiToken, PASSWORD];
      const made = await call('POST', '/users', {
        email: `s-${randomBytes(3).toString('hex')}@example.com`,
        first_name: 'S',
        last_name: 'T',
      });
      secrets.push(made.body!.password);
      const reset = await call('POST', `/users/${made.body!.user.zuid}/reset-password`);
      secrets.push(reset.body!.password);
      const self = await call('POST', '/clients', { type: 'self' });
      secrets.push(self.body!.client_secret);
      const selfId = self.body!.client.client_id as string;
      secrets.push((await call('POST', `/clients/${selfId}/secret`)).body!.client_secret);
      const code = (await call('POST', `/clients/${selfId}/codes`, { scope: 'ZohoCRM.modules.ALL' })).body!.code as string;
      secrets.push(code);
      const tokens = await h.exchange({ clientId: selfId, clientSecret: secrets.at(-2)!, redirectUris: [] }, code);
      secrets.push(tokens.access_token, tokens.refresh_token!);
      await h.post('/oauth/v2/token/revoke', { token: tokens.access_token });
      const user = await h.user();
      await new BrowserAgent(h.baseUrl).signIn(user.email, 'a wrong password here');
      secrets.push('a wrong password here');

      const rows = (await h.snapshot())['audit_events'] ?? [];
      assert.ok(rows.length >= 8, `events were stored (${rows.length})`);
      for (const secret of secrets) {
        assert.ok(secret.length >= 8);
        assert.ok(!rows.some((row) => row.includes(secret)), `no event holds ${secret.slice(0, 6)}…`);
      }
    });

    test('GET /api/v1/audit-events: newest first, paged by an opaque cursor, filtered by type, user, client and time', async () => {
      const h = get();
      const { call } = await adminApi(h);
      const clientId = `1000.${randomBytes(15).toString('hex').toUpperCase()}`;
      const zuid = String(300_000_000_000 + Math.floor(Math.random() * 600_000_000_000));
      const t0 = Date.parse('2030-01-01T00:00:00Z');
      const event = (at: number, type: AuditEvent['type'], userZuid: string | null): AuditEvent => ({
        at,
        type,
        actor: { kind: 'cli', id: null, name: null },
        userZuid,
        clientId,
        subject: null,
        address: null,
        outcome: 'success',
        detail: null,
      });
      for (let i = 0; i < 5; i++) await h.storage.auditEvents.append(event(t0 + i * 60_000, 'client.updated', i % 2 ? zuid : null));
      await h.storage.auditEvents.append(event(t0 + 10 * 60_000, 'client.deleted', null));

      const first = await call('GET', `/audit-events?client=${clientId}&limit=4`);
      assert.equal(first.status, 200);
      assert.equal(first.body!.events.length, 4);
      assert.equal(first.body!.events[0].type, 'client.deleted');
      assert.equal(first.body!.events[0].at, '2030-01-01T00:10:00.000Z');
      assert.equal(typeof first.body!.next, 'string');
      const second = await call('GET', `/audit-events?client=${clientId}&limit=4&cursor=${encodeURIComponent(first.body!.next)}`);
      assert.deepEqual(
        second.body!.events.map((e: WireEvent) => e.at),
        ['2030-01-01T00:01:00.000Z', '2030-01-01T00:00:00.000Z'],
      );
      assert.equal(second.body!.next, null);

      const count = async (query: string) => (await call('GET', `/audit-events?client=${clientId}&${query}`)).body!.events.length;
      assert.equal(await count('type=client.deleted'), 1);
      assert.equal(await count(`user=${zuid}`), 2);
      assert.equal(await count('since=2030-01-01T00:02:00Z'), 4);
      assert.equal(await count('since=2030-01-01T00:02:00Z&until=2030-01-01T00:04:00Z'), 2);
      assert.deepEqual((await call('GET', `/audit-events?client=${clientId}X`)).body!.events, []);
    });

    test('GET /api/v1/audit-events: a bad filter is request.invalid naming it; only administrators may read it', async () => {
      const h = get();
      const { call } = await adminApi(h);
      for (const [query, field] of [
        ['type=user.nonsense', 'type'],
        ['since=yesterday', 'since'],
        ['until=2030-13-45', 'until'],
        ['limit=0', 'limit'],
        ['limit=201', 'limit'],
        ['limit=ten', 'limit'],
        ['cursor=not-a-cursor', 'cursor'],
        ['type=a&type=b', 'type'],
        ['user=nobody-here@example.com', 'user'],
      ] as const) {
        const answer = await call('GET', `/audit-events?${query}`);
        assert.equal(answer.status, 400, query);
        assert.equal(answer.body!.code, 'request.invalid', query);
        assert.equal(answer.body!.field, field, query);
      }
      const anonymous = await fetch(`${h.baseUrl}/api/v1/audit-events`);
      assert.equal(anonymous.status, 401);
      const plain = new BrowserAgent(h.baseUrl);
      await plain.signIn((await h.user()).email, PASSWORD);
      const refused = await plain.get('/api/v1/audit-events');
      assert.equal(refused.status, 403);
      assert.equal(JSON.parse(refused.body).code, 'auth.admin_required');
    });

    test('the console\u2019s Audit log page: filters as a GET form and an Older events link for administrators; refused to others', async () => {
      const h = get();
      const { admin } = await adminApi(h);
      const clientId = `1000.${randomBytes(15).toString('hex').toUpperCase()}`;
      // One more than a page (50), so the page links to the older ones.
      for (let i = 0; i < 51; i++) {
        await h.storage.auditEvents.append({
          at: Date.parse('2031-05-01T10:00:00Z') + i * 1000,
          type: 'client.updated',
          actor: { kind: 'api_token', id: admin.zuid, name: 'nightly <script>' },
          userZuid: admin.zuid,
          clientId,
          subject: `App #${i}#`,
          address: '192.0.2.1',
          outcome: 'success',
          detail: null,
        });
      }
      const agent = new BrowserAgent(h.baseUrl);
      await agent.signIn(admin.email, PASSWORD);
      const filters = new URLSearchParams({ type: 'client.updated', user: admin.email, client: clientId, since: '2031-05-01T09:00' });
      const page = await agent.get(`/developer-console/admin/audit?${filters}`);
      assert.equal(page.status, 200);
      assert.match(page.body, /<form class="card filters" method="get"/);
      assert.match(page.body, /<option value="client.updated" selected/);
      assert.match(page.body, /value="2031-05-01T09:00"/);
      assert.match(page.body, /App #50#/);
      assert.doesNotMatch(page.body, /App #0#/);
      assert.match(page.body, /nightly &lt;script&gt;/, 'escaped');
      const older = /href="([^"]+)">Older events/.exec(page.body);
      assert.ok(older, 'a link to the older events');
      const next = await agent.get(older[1]!.replaceAll('&amp;', '&'));
      assert.match(next.body, /App #0#/);
      assert.doesNotMatch(next.body, /App #50#|Older events/);
      assert.match(next.body, /<option value="client.updated" selected/, 'the filters carry over');

      const bad = await agent.get('/developer-console/admin/audit?since=soon');
      assert.equal(bad.status, 400);
      assert.match(bad.body, /since must be an ISO 8601 time/);

      const other = new BrowserAgent(h.baseUrl);
      await other.signIn((await h.user()).email, PASSWORD);
      assert.equal((await other.get('/developer-console/admin/audit')).status, 403);
      assert.doesNotMatch((await other.get('/developer-console')).body, /Audit log/);
      assert.match((await agent.get('/developer-console')).body, /Audit log/);
    });

    test('retention: the scheduled purge deletes events older than GATEHOUSE_AUDIT_RETENTION_DAYS and keeps the rest', async () => {
      const h = get();
      const { events } = await adminApi(h);
      const clientId = `1000.${randomBytes(15).toString('hex').toUpperCase()}`;
      const now = h.clock.now();
      const at = (daysAgo: number): AuditEvent => ({
        at: now - daysAgo * DAY_MS,
        type: 'client.updated',
        actor: { kind: 'cli', id: null, name: null },
        userZuid: null,
        clientId,
        subject: `${daysAgo} days ago`,
        address: null,
        outcome: 'success',
        detail: null,
      });
      for (const days of [400, 91, 89, 1]) await h.storage.auditEvents.append(at(days));
      assert.equal(h.gatehouse.config.auditRetentionDays, 90);
      await purgeExpired(h.gatehouse, now);
      assert.deepEqual(
        (await events({ client: clientId })).map((e) => e.subject),
        ['1 days ago', '89 days ago'],
      );
      await purgeExpired({ ...h.gatehouse, config: { auditRetentionDays: 30 } }, now);
      assert.deepEqual(
        (await events({ client: clientId })).map((e) => e.subject),
        ['1 days ago'],
      );
    });
  },
);

/**
 * A SQLite store whose file the test can reach with a connection of its own, to make the store refuse audit events
 * (a trigger that aborts every insert into audit_events), as a full disk or a broken table would.
 */
function refusingAuditStore(): StoreKind & { refuseAuditEvents(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-'));
  const file = join(dir, 'gatehouse.db');
  return {
    name: 'sqlite',
    skip: async () => false,
    async open() {
      const storage = openStorage(`sqlite:${file}`);
      await storage.migrate();
      return {
        storage,
        snapshot: () => Promise.reject(new Error('not used here')),
        async dispose() {
          await storage.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    refuseAuditEvents() {
      const db = new BetterSqlite3(file);
      db.exec(`create trigger refuse_audit before insert on audit_events begin select raise(abort, 'audit store refuses'); end`);
      db.close();
    },
  };
}

describeEach(
  'audit log: a store that refuses the event',
  [refusingAuditStore()],
  async (kind) => ({ h: await Harness.start(kind, {}, { trustProxy: '127.0.0.1' }), kind }),
  ({ h }) => h.close(),
  (get) => {
    test('a best-effort event lost does not undo or fail its action; a transactional one takes its action with it', async () => {
      const { h, kind } = get();
      const { call } = await adminApi(h);
      const user = await h.user();
      kind.refuseAuditEvents();

      assert.equal((await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD)).status, 303, 'signed in all the same');
      const created = await call('POST', '/clients', serverApp('Still Made'));
      assert.equal(created.status, 201);
      assert.equal((await call('GET', `/clients/${created.body!.client.client_id}`)).status, 200);

      // Disabling writes its event in its own transaction: without the event, nothing of the disable happens.
      const disabled = await call('POST', `/users/${user.zuid}/disable`);
      assert.equal(disabled.status, 500);
      assert.equal(disabled.body!.code, 'internal');
      assert.equal((await call('GET', `/users/${user.zuid}`)).body!.user.disabled, false);
      assert.equal((await new BrowserAgent(h.baseUrl).signIn(user.email, PASSWORD)).status, 303);
    });
  },
);
