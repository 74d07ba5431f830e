import type { BenchDatabase } from './databases.js';
import { REDIS_URL } from './databases.js';
import { startInChildProcess, type ChildServer } from './servers/child-process.js';
import type { GatehouseFixture, GatehouseNode, GatehouseOptions } from './servers/gatehouse.js';
import type { Teardown } from './teardown.js';

/** Gatehouse as an operator deploys it: one or more nodes, each a process of its own, over one store. */
export interface Deployment {
  database: BenchDatabase;
  /** Made by the first node; every node serves it. */
  fixture: GatehouseFixture;
  /** Every node's base URL, the first node's first. */
  nodeUrls: string[];
  /** The first node's purge. */
  purgeExpired: ChildServer<GatehouseFixture>['purgeExpired'];
}

/**
 * Starts the first node (it migrates the store and makes the fixture), then the others over the same store, with the
 * same Redis when `redis` is set (as `GATEHOUSE_REDIS_URL`).
 */
export async function startDeployment(
  database: BenchDatabase,
  teardown: Teardown,
  { nodes = 1, redis = false }: { nodes?: number; redis?: boolean } = {},
): Promise<Deployment> {
  const options = (seed: boolean): GatehouseOptions => ({ store: database.location, seed, ...(redis ? { redisUrl: REDIS_URL } : {}) });
  const first = await startInChildProcess<GatehouseFixture>('gatehouse', [JSON.stringify(options(true))], teardown);
  const others = await Promise.all(
    Array.from({ length: nodes - 1 }, () => startInChildProcess<GatehouseNode>('gatehouse', [JSON.stringify(options(false))], teardown)),
  );
  return {
    database,
    fixture: first.fixture,
    nodeUrls: [first.fixture.baseUrl, ...others.map((node) => node.fixture.baseUrl)],
    purgeExpired: first.purgeExpired,
  };
}
