import { GatehouseMetrics } from '../../src/http/metrics/gatehouse-metrics.js';
import { randomBytes } from 'node:crypto';
import type { ClientType } from '../../src/core/clients/client.js';
import { findClient, registerClient, type ClientManagementDeps } from '../../src/core/clients/register-client.js';
import { resolveConfig } from '../../src/core/config/config.js';
import { generateSelfClientCode } from '../../src/core/self-client/generate-code.js';
import { createUser } from '../../src/core/users/create-user.js';
import { resolveHashKey } from '../../src/core/tokens/hash-key.js';
import { createGatehouse, type Gatehouse } from '../../src/gatehouse.js';
import { closeLog, logDestination } from '../../src/http/request-log.js';
import { buildHttpServer } from '../../src/http/server.js';
import type { RecordRepository } from '../../src/resources/record-repository.js';
import { purgeExpired } from '../../src/core/purge.js';
import { openStorage } from '../../src/storage/open-storage.js';
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js';
import { BenchmarkError } from '../benchmark-error.js';
import type { StoreLocation } from '../databases.js';
import { BENCH_LOG_LEVEL } from '../settings.js';
import { formPost, requireString, sendExpectingSuccess } from '../http-request.js';
import type { Teardown } from '../teardown.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface GatehouseOptions {
  store: StoreLocation;
  /** `GATEHOUSE_REDIS_URL`: rate limits shared through Redis, as the nodes of a deployment share them. */
  redisUrl?: string;
  /** False for a further node of a deployment: the first node made the user, the clients and the tokens. */
  seed: boolean;
}

/** A running node; the first node of a deployment is a `GatehouseFixture`. */
export interface GatehouseNode {
  baseUrl: string;
}

/** What the bench may ask a running node to do beyond serving: the scheduled purge, now (see `serve.ts`). */
export interface GatehouseControls {
  purgeExpired(before: number): Promise<number>;
}

export interface GatehouseFixture extends GatehouseNode {
  /** The user who owns the clients, the tokens and the lead. */
  ownerZuid: string;
  /** Self Client: the only type allowed client_credentials (spec §3.4). */
  selfClient: ClientCredentials;
  /** A server-based application, standing in for a resource server that introspects tokens. */
  serverClient: ClientCredentials;
  /** The refresh case's own grant: its refreshes evict its oldest access tokens (15 live, Zoho's limit), not the reads'. */
  refreshToken: string;
  /** Carries AaaServer.profile.READ, so it works at /oauth/user/info as well as at introspection. */
  accessToken: string;
  /** A CRM lead owned by the token's user, and the exact JSON its GET answers (the bare server answers the same). */
  lead: { id: string; body: string };
}

export const SELF_CLIENT_SCOPE = 'ZohoCRM.modules.ALL,AaaServer.profile.READ';

/**
 * Every limit at its default but one: Zoho's 10 refreshes per refresh token per 10 minutes would turn all but the first
 * ten of autocannon's thousands of refreshes with one refresh token into 429s. The eviction beyond 15 live access
 * tokens per refresh token stays on: every refresh pays its lock and query, as in production.
 */
const BENCH_LIMITS = { refreshRate: null };

/** `serve` serves the Prometheus metrics unless `GATEHOUSE_METRICS=off`, and counts into them on every request. */
const BENCH_METRICS = process.env.GATEHOUSE_METRICS !== 'off';

/** No request depends on the issuer matching the listening port, so a fixed one does. */
const ISSUER = 'http://gatehouse.bench';

/**
 * Gatehouse over the given store, as `gatehouse serve` runs it: migrated at start, the hash key kept in the store (so
 * the nodes of a deployment share it), Redis when given. The first node of a deployment also makes one user, a Self
 * Client, a server client, live tokens and a lead.
 */
export async function startGatehouse(
  options: GatehouseOptions,
  teardown: Teardown,
): Promise<{ node: GatehouseNode | GatehouseFixture; controls: GatehouseControls }> {
  // What `npm start` runs: the metrics on (unless GATEHOUSE_METRICS=off), and request logs at `info` (unless
  // GATEHOUSE_LOG_LEVEL says otherwise), written to standard output, which the bench drains as a log collector would.
  const metrics = BENCH_METRICS ? new GatehouseMetrics() : undefined;
  const { gatehouse, records } = await openGatehouse(options, metrics, teardown);
  const log = logDestination(1);
  const app = buildHttpServer(gatehouse, records, { logger: { level: BENCH_LOG_LEVEL, stream: log }, ...(metrics ? { metrics } : {}) });
  teardown.add('close the log', () => closeLog(log));
  teardown.add('close Gatehouse', () => app.close());
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const controls = { purgeExpired: (before: number) => purgeExpired(gatehouse, before, 0) };
  return { node: options.seed ? await seedFixture(gatehouse, baseUrl) : { baseUrl }, controls };
}

async function openGatehouse(
  options: GatehouseOptions,
  metrics: GatehouseMetrics | undefined,
  teardown: Teardown,
): Promise<{ gatehouse: Gatehouse; records: RecordRepository }> {
  const storage = openStorage(options.store.url, {
    ...(options.store.schema === undefined ? {} : { schema: options.store.schema }),
    ...(metrics ? { observer: metrics } : {}),
  });
  teardown.add('close the store', () => storage.close());
  await storage.migrate();
  const { key } = await resolveHashKey(storage.settings, undefined);
  const gatehouse = createGatehouse({
    config: resolveConfig({ issuer: ISSUER, limits: BENCH_LIMITS }),
    storage,
    hashKey: key,
    ...(options.redisUrl === undefined ? {} : { rateLimiter: new RedisRateLimiter(options.redisUrl) }),
    ...(metrics ? { events: metrics } : {}),
  });
  teardown.add('close the rate limiter', () => gatehouse.rateLimiter.close());
  return { gatehouse, records: storage.records };
}

async function seedFixture(gatehouse: Gatehouse, baseUrl: string): Promise<GatehouseFixture> {
  const deps = clientManagementDeps(gatehouse);
  const owner = await createUser(
    { email: 'bench@example.com', password: randomBytes(12).toString('hex'), firstName: 'Bench', lastName: 'Mark' },
    deps,
  );
  const selfClient = await registerBenchClient(owner.zuid, 'self', deps);
  const serverClient = await registerBenchClient(owner.zuid, 'server', deps);
  const reads = await exchangeSelfClientCode(gatehouse, baseUrl, selfClient);
  const refreshes = await exchangeSelfClientCode(gatehouse, baseUrl, selfClient);
  const lead = await createLead(baseUrl, reads.accessToken);
  return {
    baseUrl,
    ownerZuid: owner.zuid,
    selfClient,
    serverClient,
    accessToken: reads.accessToken,
    refreshToken: refreshes.refreshToken,
    lead,
  };
}

function clientManagementDeps(gatehouse: Gatehouse): ClientManagementDeps {
  const { storage, hasher, now } = gatehouse;
  return { users: storage.users, clients: storage.clients, hasher, now };
}

async function registerBenchClient(
  ownerZuid: string,
  type: Extract<ClientType, 'self' | 'server'>,
  deps: ClientManagementDeps,
): Promise<ClientCredentials> {
  // A Self Client has no name, homepage or redirect URIs (spec §1.1); a server-based app must have all three.
  const fields =
    type === 'self'
      ? {}
      : { name: 'Bench resource server', homepage: 'https://bench.example.com', redirectUris: ['https://bench.example.com/callback'] };
  const { client, clientSecret } = await registerClient({ ownerZuid, type, ...fields }, deps);
  if (clientSecret === undefined) throw new BenchmarkError(`a ${type} client was registered without a secret`);
  return { clientId: client.clientId, clientSecret };
}

/** The console's "Generate Code", then the exchange over HTTP, as a Zoho developer gets a refresh token. */
async function exchangeSelfClientCode(
  gatehouse: Gatehouse,
  baseUrl: string,
  selfClient: ClientCredentials,
): Promise<{ refreshToken: string; accessToken: string }> {
  const { code } = await generateSelfClientCode(
    await findClient(selfClient.clientId, gatehouse.storage.clients),
    { scope: SELF_CLIENT_SCOPE },
    { ...gatehouse, codes: gatehouse.storage.codes },
  );
  const what = 'Gatehouse Self Client code exchange';
  const body = await sendExpectingSuccess(
    what,
    formPost(`${baseUrl}/oauth/v2/token`, {
      grant_type: 'authorization_code',
      client_id: selfClient.clientId,
      client_secret: selfClient.clientSecret,
      code,
    }),
  );
  return { refreshToken: requireString(body, 'refresh_token', what), accessToken: requireString(body, 'access_token', what) };
}

/** One lead through the sample CRM API, then its GET answer, so the floor can send the very same bytes. */
async function createLead(baseUrl: string, accessToken: string): Promise<{ id: string; body: string }> {
  const headers = { authorization: `Zoho-oauthtoken ${accessToken}`, 'content-type': 'application/json' };
  const created = await fetch(`${baseUrl}/crm/v8/Leads`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      data: [{ Last_Name: 'Lee', First_Name: 'Ann', Email: 'ann@zylker.com', Company: 'Zylker', Lead_Status: 'Contacted' }],
    }),
  });
  if (created.status !== 201) throw new BenchmarkError(`creating the benchmark lead answered ${created.status}: ${await created.text()}`);
  const id = ((await created.json()) as { data: Array<{ details: { id: string } }> }).data[0]!.details.id;
  const read = await fetch(`${baseUrl}/crm/v8/Leads/${id}`, { headers });
  if (read.status !== 200) throw new BenchmarkError(`reading the benchmark lead answered ${read.status}`);
  return { id, body: await read.text() };
}
