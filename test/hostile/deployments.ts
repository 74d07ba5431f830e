import { randomBytes } from 'node:crypto';
import { RedisRateLimiter } from '../../src/storage/redis-rate-limiter.js';
import { describeEach } from '../support/each-store.js';
import { Harness, type HarnessServices } from '../support/harness.js';
import { REDIS_URL, unavailable } from '../support/services.js';
import { postgresStore, sqliteStore, type StoreKind } from '../support/stores.js';

/** The two shapes people deploy: one node (SQLite, limits in memory) and several (PostgreSQL, limits in Redis). */
export interface Deployment {
  name: string;
  store: StoreKind;
  skip(): Promise<string | false>;
  services(): HarnessServices;
}

/** Every request of the hostile suites comes through a trusted proxy, so each test can speak from its own addresses. */
const PROXY = '127.0.0.1';

export const DEPLOYMENTS: readonly Deployment[] = [
  { name: 'sqlite + memory limits', store: sqliteStore, skip: async () => false, services: () => ({ trustProxy: PROXY, metrics: true }) },
  {
    name: 'postgres + redis limits',
    store: postgresStore,
    skip: async () => (await postgresStore.skip()) || (await unavailable('Redis')),
    services: () => ({
      trustProxy: PROXY,
      metrics: true,
      // A prefix of its own, so nothing another run or suite counted in this Redis is seen here.
      rateLimiter: new RedisRateLimiter(REDIS_URL, `gatehouse-hostile:${randomBytes(4).toString('hex')}:`),
    }),
  },
];

/** Runs a hostile suite once per deployment against a real server on a free port. */
export function describeEachDeployment(
  title: string,
  body: (get: () => Harness, deployment: Deployment) => void,
  config: Parameters<typeof Harness.start>[1] = {},
): void {
  describeEach(
    title,
    DEPLOYMENTS,
    (deployment) => Harness.start(deployment.store, config, deployment.services()),
    (harness) => harness.close(),
    body,
  );
}

/** A client address of its own for one test (the per-address limits are shared by everything from one address). */
export function newAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c! || 1}`;
}
