import { randomBytes } from 'node:crypto';
import { gatehouseOk, serve } from '../cli/cli-runner.js';
import { POSTGRES_URL, REDIS_URL, unavailable } from './services.js';
import { adminQuery } from './stores.js';

/** One running `gatehouse serve` process of a cluster. */
export interface ClusterNode {
  /** Where it listens, `http://127.0.0.1:PORT`. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Several real Gatehouse processes as an operator runs them behind a balancer: one PostgreSQL database (a fresh schema
 * of the test database, dropped afterwards), one Redis, the same `GATEHOUSE_SECRET_KEY`, and a trusted proxy in front
 * (`127.0.0.1`), so tests pick each request's client address with `X-Forwarded-For`.
 */
export interface Cluster {
  /** The settings every node runs with; the CLI run with them acts on the same deployment. */
  env: Record<string, string>;
  nodes: ClusterNode[];
  /** Stops every node and drops the schema; safe to call more than once. */
  stop(): Promise<void>;
}

/** `false` when a cluster can start here; a skip message when it cannot (throws under `CI=true`). */
export async function clusterUnavailable(): Promise<string | false> {
  return (await unavailable('PostgreSQL')) || (await unavailable('Redis'));
}

export interface ClusterOptions {
  /** Settings added to every node's (and the CLI's) environment. */
  env?: Record<string, string>;
  /** Settings for one node only, over `env`: e.g. `{ GATEHOUSE_REDIS_URL: '' }` to take a node off the shared limits. */
  nodeEnv?: (index: number) => Record<string, string>;
  /**
   * Run before any node starts, in place of `gatehouse migrate` (every CLI command migrates first): e.g. the
   * `gatehouse user create` a suite needs anyway, which saves a process start.
   */
  prepare?: (env: Record<string, string>) => Promise<void>;
}

/**
 * Migrates a fresh schema once (nodes racing to migrate an empty database is not what this tests), then starts
 * `count` nodes over it in parallel. If any node fails to start, the others are stopped and the schema dropped.
 */
export async function startCluster(count: number, options: ClusterOptions = {}): Promise<Cluster> {
  const schema = `gh_test_${randomBytes(6).toString('hex')}`;
  const database = new URL(POSTGRES_URL);
  database.searchParams.set('options', `-c search_path=${schema}`);
  const env: Record<string, string> = {
    GATEHOUSE_DATABASE_URL: database.toString(),
    GATEHOUSE_REDIS_URL: REDIS_URL,
    GATEHOUSE_SECRET_KEY: randomBytes(32).toString('base64url'),
    GATEHOUSE_ISSUER: 'http://gatehouse.test',
    GATEHOUSE_TRUST_PROXY: '127.0.0.1',
    GATEHOUSE_LOG_LEVEL: 'warn',
    ...options.env,
  };
  await adminQuery(`create schema ${schema}`);
  const started: ClusterNode[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(started.map((node) => node.stop()));
    await adminQuery(`drop schema if exists ${schema} cascade`);
  };
  try {
    await (options.prepare ? options.prepare(env) : gatehouseOk(env, 'migrate'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: count }, async (_, i) => {
        const nodeEnv = { ...env, ...options.nodeEnv?.(i) };
        // An empty value means "unset" for the node (serve reads only what it is given).
        for (const [name, value] of Object.entries(nodeEnv)) if (value === '') delete nodeEnv[name];
        const node = await serve(nodeEnv);
        started.push({ url: node.info.url as string, stop: node.stop });
        return node;
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    // In start order, so node i had nodeEnv(i).
    const nodes = outcomes.map((o) => {
      const node = (o as PromiseFulfilledResult<Awaited<ReturnType<typeof serve>>>).value;
      return { url: node.info.url as string, stop: node.stop };
    });
    return { env, nodes, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
