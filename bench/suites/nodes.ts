import { freshPostgres } from '../databases.js';
import { startDeployment } from '../deployment.js';
import type { Suite } from './suite.js';
import { compareDeployments } from './versus.js';

export const nodesSuite: Suite = {
  name: 'nodes',
  about:
    'Two Gatehouse nodes ÷ one node, over one PostgreSQL schema and one Redis (GATEHOUSE_REDIS_URL on both);\n' +
    'the two-node case splits the connections between the nodes and sums their throughput',
  async run(settings, teardown) {
    const { fixture, nodeUrls } = await startDeployment(await freshPostgres(teardown), teardown, { nodes: 2, redis: true });
    await compareDeployments(
      { name: 'Gatehouse on PostgreSQL, 2 nodes', fixture, nodeUrls },
      { name: 'Gatehouse on PostgreSQL, 1 node', fixture, nodeUrls: nodeUrls.slice(0, 1) },
      {},
      settings,
    );
  },
};
