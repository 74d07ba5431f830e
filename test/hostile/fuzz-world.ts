import { randomBytes } from 'node:crypto';
import { createApiToken } from '../../src/core/api-tokens/api-tokens.js';
import { CLIENT_TYPES } from '../../src/core/clients/client.js';
import { renewSession } from '../../src/core/sessions/sessions.js';
import { newOrgId, newZuid } from '../../src/core/tokens/identifiers.js';
import type { User } from '../../src/core/users/user.js';
import type { Harness, RegisteredTestClient } from '../support/harness.js';

export const PASSWORD = 'correct horse battery';
const REDIRECT_URI = 'https://app.example.com/callback';

/**
 * The live credentials the fuzzer mixes into its requests so that it gets past the first check: a signed-in user and
 * an administrator, their sessions and a CSRF binding, a client of every type with its secret, an unused code of each
 * kind, tokens, a pending device authorization, an open consent page, an API token, a record. A request that succeeds
 * may use some of them up (a code, a session, a client), so the fuzz test builds a fresh world after any request that
 * changed the store; values of older worlds stay in `stale` as replays.
 */
export interface World {
  owner: User;
  admin: User;
  cookies: { ownerSession: string; adminSession: string; csrfBinding: string };
  /** The owner session's form token (the admin session's is among `fitting.csrf`). */
  csrfToken: string;
  /** client_id → secret (undefined for the client-based type). */
  credentials: Array<{ clientId: string; clientSecret: string | undefined }>;
  /** Values that fit a parameter of that name. */
  fitting: Record<string, string[]>;
  /** Every value above, for any parameter. */
  live: string[];
}

export class WorldBuilder {
  private count = 0;
  /** Values of earlier worlds (capped), offered as replays of used codes, revoked tokens, ended sessions. */
  readonly stale: string[] = [];
  /** The owner's session of the world before, ended or not. */
  staleSession: string | undefined;
  private base?: { admin: User; passwordHash: string };

  constructor(private readonly h: Harness) {}

  async build(previous?: World): Promise<World> {
    if (previous) {
      this.stale.push(...previous.live.filter((v) => !this.stale.includes(v)));
      this.stale.splice(0, Math.max(0, this.stale.length - 400));
      this.staleSession = previous.cookies.ownerSession;
    }
    const h = this.h;
    const n = ++this.count;
    if (!this.base) {
      const admin = await h.user({ isAdmin: true, email: `fuzz-admin-${randomBytes(3).toString('hex')}@example.com` });
      this.base = { admin, passwordHash: admin.passwordHash };
    }
    const { admin } = this.base;
    // A fresh owner per world (a user has one Self Client), stored directly: hashing the password anew costs ~100 ms.
    const owner: User = {
      ...admin,
      zuid: newZuid(),
      email: `fuzz-owner-${n}-${randomBytes(3).toString('hex')}@example.com`,
      isAdmin: false,
      passwordHash: this.base.passwordHash,
    };
    await h.storage.users.create(owner);

    const sessionDeps = { sessions: h.storage.sessions, users: h.storage.users, hasher: h.gatehouse.hasher, now: h.clock.now };
    const csrfBinding = randomBytes(32).toString('base64url');
    const cookies = {
      ownerSession: await renewSession(undefined, owner.zuid, 'pwd', sessionDeps),
      adminSession: await renewSession(undefined, admin.zuid, 'pwd', sessionDeps),
      csrfBinding,
    };
    // A form's token is bound to the binding cookie and the session it was made for (src/http/browser/csrf.ts).
    const tokenFor = (session: string) => h.gatehouse.hasher.hash(`csrf:${csrfBinding}:${session}`);
    const csrfToken = tokenFor(cookies.ownerSession);

    const server = await h.client(owner, 'server');
    const self = await h.client(owner, 'self');
    const device = await h.client(owner, 'device');
    const browserApp = await h.client(owner, 'client');
    const adminApp = await h.client(admin, 'server');
    const clients = [server, self, device, browserApp, adminApp];

    // An organisation the owner administers, so client_credentials with its soid gets past the org check.
    const org = { id: newOrgId(), name: `Fuzz ${n}`, dc: null, createdAt: h.clock.now() };
    await h.storage.organisations.create(org);
    await h.storage.organisations.setMember({ orgId: org.id, userZuid: owner.zuid, role: 'admin', addedAt: org.createdAt });

    const allScopes = h.gatehouse.scopes.names().join(',');
    const webCode = await h.webCode(server.clientId, owner, { scope: allScopes });
    const selfCode = await h.selfClientCode(self.clientId);
    const tokens = await h.exchange(server, await h.webCode(server.clientId, owner, { scope: allScopes }), { redirect_uri: REDIRECT_URI });

    const started = await h.post('/oauth/v3/device/code', {
      client_id: device.clientId,
      grant_type: 'device_request',
      scope: 'ZohoCRM.modules.ALL',
    });
    if (started.status !== 200) throw new Error(`world: device code ${started.status}`);
    const { device_code: deviceCode, user_code: userCode } = started.body as { device_code: string; user_code: string };

    const interaction = await this.consentInteraction(server, cookies.ownerSession);
    const apiToken = (
      await createApiToken(
        { email: admin.email, name: `fuzz ${n}` },
        { users: h.storage.users, apiTokens: h.storage.apiTokens, hasher: h.gatehouse.hasher, now: h.clock.now },
      )
    ).token;
    const created = await h.request('/crm/v8/Leads', {
      method: 'POST',
      headers: { authorization: `Zoho-oauthtoken ${tokens.access_token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: [{ Last_Name: 'Fuzz', Email: 'lead@example.com' }] }),
    });
    const recordId = String((created.body as { data: Array<{ details: { id: string } }> }).data[0]!.details.id);

    // Slot i of the lists that go together (client_id, client_secret, code, grant_type) belong together: the server
    // client's web code, the Self Client's code and client_credentials, the device client's device code.
    const fitting: Record<string, string[]> = {
      client_id: clients.map((c) => c.clientId),
      client_secret: clients.map((c) => c.clientSecret ?? ''),
      clientId: clients.map((c) => c.clientId),
      code: [webCode, selfCode, deviceCode, webCode],
      device_code: [deviceCode],
      refresh_token: [tokens.refresh_token!],
      token: [tokens.access_token, tokens.refresh_token!, apiToken],
      access_token: [tokens.access_token],
      redirect_uri: [REDIRECT_URI],
      grant_type: [
        'authorization_code',
        'client_credentials',
        'device_token',
        'refresh_token',
        'urn:ietf:params:oauth:grant-type:device_code',
        'device_request',
      ],
      scope: ['ZohoCRM.modules.ALL', 'ZohoCRM.modules.ALL,AaaServer.profile.READ', 'openid,email,profile', allScopes],
      soid: [`ZohoCRM.${org.id}`, 'ZohoCRM.60012345678'],
      response_type: ['code', 'token'],
      access_type: ['offline', 'online'],
      prompt: ['none', 'consent', 'login', 'select_account', 'login consent'],
      max_age: ['0', '60'],
      acr_values: ['urn:gatehouse:loa:2', 'urn:gatehouse:loa:1 urn:gatehouse:loa:2'],
      claims: [
        '{"id_token":{"acr":{"essential":true,"values":["urn:gatehouse:loa:2"]},"sub":{"value":"1"}}}',
        '{"userinfo":{"email":null}}',
      ],
      login_hint: [owner.email],
      ui_locales: ['fr-CA'],
      response_mode: ['query', 'fragment', 'form_post'],
      code_challenge_method: ['S256', 'plain'],
      code_challenge: ['E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'],
      code_verifier: ['dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'],
      state: ['xyz'],
      nonce: ['n-0S6_WzA2Mj'],
      csrf: [csrfToken, tokenFor(cookies.adminSession)],
      interaction: [interaction],
      decision: ['accept', 'reject'],
      // Also the search API's `email` parameter: any address searches, these two are as good as others.
      email: [owner.email, admin.email],
      password: [PASSWORD],
      current_password: [PASSWORD],
      new_password: ['another horse battery'],
      confirm_password: ['another horse battery'],
      return_to: ['/account/connected-apps', '/developer-console'],
      user_code: [userCode],
      confirmed: ['yes'],
      zuid: [owner.zuid, admin.zuid],
      name: ['Fuzzed app'],
      homepage: ['https://app.example.com'],
      redirect_uris: [REDIRECT_URI],
      js_domains: ['https://app.example.com'],
      type: [...CLIENT_TYPES],
      duration: ['3', '10'],
      description: ['fuzz'],
      all: ['true'],
      fields: ['Last_Name,Email', 'id', 'Summary'],
      page: ['1', '2'],
      per_page: ['1', '200'],
      sort_by: ['id', 'Created_Time', 'Modified_Time'],
      sort_order: ['asc', 'desc'],
      ids: [recordId],
      id: [recordId],
      module: ['Leads', 'leads', 'Contacts', 'Deals', 'Requests', 'Work_Orders', 'Estimates'],
      criteria: ['(Last_Name:equals:Lee)', '((Last_Name:starts_with:L)or(Company:equals:a\\,b))', '(Amount:between:1,9)'],
      phone: ['555-0100'],
      word: ['Lee'],
      duplicate_check_fields: ['Email', 'Last_Name'],
      token_type_hint: ['access_token', 'refresh_token'],
      token_type: ['access_token', 'refresh_token'],
      revoked: ['1'],
      saved: ['1'],
      deleted: ['1'],
    };
    const live = [...new Set(Object.values(fitting).flat())];
    return {
      owner,
      admin,
      cookies,
      csrfToken,
      credentials: clients.map(({ clientId, clientSecret }) => ({ clientId, clientSecret })),
      fitting,
      live,
    };
  }

  /** An open consent page for the server client, as the authorization endpoint leaves it: its one-time handle. */
  private async consentInteraction(server: RegisteredTestClient, session: string): Promise<string> {
    const query = new URLSearchParams({
      client_id: server.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: 'ZohoCRM.modules.ALL',
      access_type: 'offline',
      state: 'xyz',
    });
    const response = await fetch(`${this.h.baseUrl}/oauth/v2/auth?${query}`, { headers: { cookie: `gh_session=${session}` } });
    const page = await response.text();
    const handle = /name="interaction" value="([^"]+)"/.exec(page)?.[1];
    if (!handle) throw new Error(`world: no consent page (${response.status})`);
    return handle;
  }
}
