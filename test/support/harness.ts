import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ClientType } from '../../src/core/clients/client.js';
import type { ClientFields } from '../../src/core/clients/validate-client.js';
import { findClient, registerClient } from '../../src/core/clients/register-client.js';
import { resolveConfig, type ConfigInput } from '../../src/core/config/config.js';
import { generateSelfClientCode } from '../../src/core/self-client/generate-code.js';
import { newOpaqueToken } from '../../src/core/tokens/identifiers.js';
import { createUser } from '../../src/core/users/create-user.js';
import type { User } from '../../src/core/users/user.js';
import type { RateLimiter } from '../../src/core/limits/rate-limiter.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { GatehouseMetrics } from '../../src/http/metrics/gatehouse-metrics.js';
import { buildHttpServer } from '../../src/http/server.js';
import type { AuthorizationCode } from '../../src/core/authorize/code-repository.js';
import type { StoreKind, StoreSnapshot, TestStore } from './stores.js';

/** The password of every user `Harness.user` makes, for tests that sign in through the form. */
export const PASSWORD = 'correct horse battery';
/** The redirect URI a client made by `Harness.client` registers unless the test names others. */
export const REDIRECT = 'https://app.example.com/callback';

/** A port nothing listens on right now (the OS picks it; released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** A controllable clock: tests move time instead of sleeping. */
export class TestClock {
  constructor(public current = Date.now()) {}
  readonly now = (): number => this.current;
  advance(seconds: number): void {
    this.current += seconds * 1000;
  }
}

/** What a deployment adds to the store: shared rate limits (Redis), a proxy in front. The harness closes the limiter. */
export interface HarnessServices {
  rateLimiter?: RateLimiter;
  /** `GATEHOUSE_TRUST_PROXY`: lets a test speak for many client addresses through `X-Forwarded-For`. */
  trustProxy?: string;
  /** Prometheus metrics, served at /metrics, the store's included, as `serve` has them by default. */
  metrics?: boolean;
  /** The port to listen on (from `freePort`), for a configuration that names it (several DCs' origins). */
  port?: number;
}

export interface RegisteredTestClient {
  clientId: string;
  clientSecret: string | undefined;
  redirectUris: string[];
}

/** A running Gatehouse on a free port over one store, with helpers that set up users, clients and codes. */
export class Harness {
  private userCount = 0;

  private constructor(
    readonly baseUrl: string,
    readonly gatehouse: Gatehouse,
    readonly clock: TestClock,
    private readonly app: FastifyInstance,
    private readonly store: TestStore,
  ) {}

  /**
   * `issuer: 'base-url'` makes the issuer this server's real address, for strict clients that check the issuer
   * against the URL they fetched; `issuer: 'localhost'` the same by the name localhost (a real browser's passkeys need
   * a host name); otherwise it is http://gatehouse.test.
   */
  static async start(
    kind: StoreKind,
    config: Partial<ConfigInput> | (Omit<Partial<ConfigInput>, 'issuer'> & { issuer: 'base-url' | 'localhost' }) = {},
    services: HarnessServices = {},
  ): Promise<Harness> {
    const metrics = services.metrics ? new GatehouseMetrics() : undefined;
    const store = await kind.open(metrics ? { observer: metrics } : {});
    const clock = new TestClock();
    const ownPort = config.issuer === 'base-url' || config.issuer === 'localhost';
    const port = services.port ?? (ownPort ? await freePort() : 0);
    const issuer = ownPort
      ? `http://${config.issuer === 'localhost' ? 'localhost' : '127.0.0.1'}:${port}`
      : (config.issuer ?? 'http://gatehouse.test');
    const gatehouse = createGatehouse({
      config: resolveConfig({ ...config, issuer }),
      storage: store.storage,
      hashKey: randomBytes(32),
      now: clock.now,
      ...(services.rateLimiter ? { rateLimiter: services.rateLimiter } : {}),
      ...(metrics ? { events: metrics } : {}),
    });
    const app = buildHttpServer(gatehouse, store.storage.records, {
      ...(services.trustProxy ? { trustProxy: services.trustProxy } : {}),
      ...(metrics ? { metrics } : {}),
    });
    await app.listen({ port, host: '127.0.0.1' });
    const address = app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    // With `issuer: 'localhost'` the tests reach the server by that name too: a browser's passkeys need the issuer's origin.
    const host = config.issuer === 'localhost' ? 'localhost' : '127.0.0.1';
    return new Harness(`http://${host}:${address.port}`, gatehouse, clock, app, store);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.gatehouse.rateLimiter.close();
    await this.store.dispose();
  }

  get storage() {
    return this.store.storage;
  }

  /** Every row of every table of this server's store, read apart from the server (test/support/stores.ts). */
  snapshot(): Promise<StoreSnapshot> {
    return this.store.snapshot();
  }

  async user(overrides: Partial<{ email: string; firstName: string; lastName: string; isAdmin: boolean }> = {}): Promise<User> {
    this.userCount++;
    return createUser(
      {
        email: overrides.email ?? `user${this.userCount}-${randomBytes(3).toString('hex')}@example.com`,
        password: PASSWORD,
        firstName: overrides.firstName ?? 'Ann',
        lastName: overrides.lastName ?? 'Lee',
        isAdmin: overrides.isAdmin ?? false,
      },
      { users: this.storage.users, now: this.clock.now },
    );
  }

  /**
   * `more`: the OpenID Connect logout fields (for the types with redirect URIs), how the client authenticates, its keys,
   * the signing algorithms.
   */
  async client(
    owner: User,
    type: ClientType,
    redirectUris = [REDIRECT],
    more: Pick<
      ClientFields,
      | 'postLogoutRedirectUris'
      | 'backchannelLogoutUri'
      | 'backchannelLogoutSessionRequired'
      | 'tokenEndpointAuthMethod'
      | 'jwks'
      | 'jwksUri'
      | 'requireSignedRequestObject'
      | 'idTokenSignedResponseAlg'
      | 'userinfoSignedResponseAlg'
    > = {},
  ): Promise<RegisteredTestClient> {
    const needsRedirect = type === 'server' || type === 'client' || type === 'mobile';
    const { client, clientSecret } = await registerClient(
      {
        ownerZuid: owner.zuid,
        type,
        ...(type === 'self' ? {} : { name: `Test ${type} app`, homepage: 'https://app.example.com' }),
        ...(needsRedirect ? { redirectUris } : {}),
        ...(type === 'client' ? { jsDomains: ['https://app.example.com'] } : {}),
        ...more,
      },
      {
        users: this.storage.users,
        clients: this.storage.clients,
        hasher: this.gatehouse.hasher,
        clientSecretSeal: this.gatehouse.clientSecretSeal,
        now: this.clock.now,
      },
    );
    return { clientId: client.clientId, clientSecret, redirectUris: client.redirectUris };
  }

  /** A Self Client code, as the console's Generate Code makes it. */
  async selfClientCode(clientId: string, scope = 'ZohoCRM.modules.ALL,AaaServer.profile.READ', durationMinutes = 3): Promise<string> {
    const result = await generateSelfClientCode(
      await findClient(clientId, this.storage.clients),
      { scope, durationMinutes },
      { ...this.gatehouse, codes: this.storage.codes },
    );
    return result.code;
  }

  /**
   * A web-flow code as the authorization endpoint stores it after the user consents. (The endpoint itself is a
   * separate issue; this writes the same record it will.)
   */
  async webCode(
    clientId: string,
    user: User,
    options: Partial<Pick<AuthorizationCode, 'redirectUri' | 'offline' | 'codeChallenge' | 'codeChallengeMethod' | 'resources'>> & {
      scope?: string;
    } = {},
  ): Promise<string> {
    const code = newOpaqueToken();
    const now = this.clock.now();
    const scopes = this.gatehouse.scopes.parse(options.scope ?? 'ZohoCRM.modules.ALL,AaaServer.profile.READ');
    await this.storage.codes.create({
      id: this.gatehouse.hasher.storageKey(code),
      clientId,
      userZuid: user.zuid,
      scopes: scopes.map((s) => s.name).join(' '),
      redirectUri: options.redirectUri === undefined ? REDIRECT : options.redirectUri,
      codeChallenge: options.codeChallenge ?? null,
      codeChallengeMethod: options.codeChallengeMethod ?? null,
      nonce: null,
      amr: 'pwd',
      authTime: now,
      sid: null,
      offline: options.offline ?? true,
      kind: 'web',
      description: null,
      createdAt: now,
      expiresAt: now + this.gatehouse.config.ttl.code * 1000,
      consumedAt: null,
      ...(options.resources === undefined ? {} : { resources: options.resources }),
    });
    return code;
  }

  /** POSTs an urlencoded form; returns status, headers and parsed JSON. */
  async post(path: string, form: Record<string, string>, init: { headers?: Record<string, string> } = {}): Promise<JsonResponse> {
    return this.request(path, { method: 'POST', body: new URLSearchParams(form), ...init });
  }

  async request(path: string, init: RequestInit = {}): Promise<JsonResponse> {
    const response = await fetch(this.baseUrl + path, init);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as Record<string, any>),
    };
  }

  /** A code exchanged for tokens; fails the test if the exchange fails. */
  async exchange(client: RegisteredTestClient, code: string, extra: Record<string, string> = {}): Promise<Tokens> {
    const res = await this.post('/oauth/v2/token', {
      grant_type: 'authorization_code',
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      code,
      ...extra,
    });
    if (res.status !== 200) throw new Error(`exchange failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Tokens;
  }

  /** A Self Client's client_credentials token (`extra`: a `soid`…); fails the test if it is refused. */
  async clientCredentials(
    client: RegisteredTestClient,
    scope = 'ZohoCRM.modules.ALL',
    extra: Record<string, string> = {},
  ): Promise<Tokens> {
    const res = await this.post('/oauth/v2/token', {
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      scope,
      ...extra,
    });
    if (res.status !== 200) throw new Error(`client_credentials failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as Tokens;
  }

  async refresh(client: RegisteredTestClient, refreshToken: string): Promise<JsonResponse> {
    return this.post('/oauth/v2/token', {
      grant_type: 'refresh_token',
      client_id: client.clientId,
      client_secret: client.clientSecret!,
      refresh_token: refreshToken,
    });
  }

  /** Whether an access token still works at the profile endpoint. */
  async accessTokenWorks(accessToken: string): Promise<boolean> {
    const res = await this.request('/oauth/user/info', { headers: { authorization: `Zoho-oauthtoken ${accessToken}` } });
    if (res.status !== 200 && res.status !== 401) throw new Error(`unexpected ${res.status}`);
    return res.status === 200;
  }
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: Record<string, any> | undefined;
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  scope: string;
  api_domain: string;
  token_type: string;
  expires_in: number;
  /** With an identity scope (openid, email, profile). */
  id_token?: string;
}
