import { freshPostgres, freshSqlite } from '../databases.js';
import { startDeployment } from '../deployment.js';
import type { Suite } from './suite.js';
import { compareDeployments } from './versus.js';

export const postgresSuite: Suite = {
  name: 'postgres',
  about: 'Gatehouse on PostgreSQL ÷ Gatehouse on SQLite, one node each, no Redis (a fresh schema, dropped afterwards)',
  async run(settings, teardown) {
    const postgres = await startDeployment(await freshPostgres(teardown), teardown);
    const sqlite = await startDeployment(await freshSqlite(teardown), teardown);
    await compareDeployments(
      { name: 'Gatehouse on PostgreSQL', fixture: postgres.fixture },
      { name: 'Gatehouse on SQLite', fixture: sqlite.fixture },
      { 'client-credentials': 0.5, 'crm-record': 0.6 },
      settings,
    );
  },
};
