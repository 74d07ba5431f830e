import { describe, test } from 'node:test';
import { adminQuery, postgresStore } from '../support/stores.js';
import { runStorageContract } from './contract.js';

runStorageContract(postgresStore);

describe('PostgreSQL migrations beside other deployments', async () => {
  const skip = await postgresStore.skip();
  // Regression: Kysely's introspector read every schema by name, so a schema dropped meanwhile failed our migration
  // ("schema … does not exist"): the CLI, which migrates on every command, failed at random while other suites tore down.
  test('migrating is unaffected by schemas being created and dropped at the same time', { skip }, async () => {
    let churning = true;
    const churn = (async () => {
      for (let i = 0; churning; i++) {
        const schema = `gh_churn_${process.pid}_${i}`;
        await adminQuery(`create schema ${schema}; create table ${schema}.t (seq bigserial primary key, name text)`);
        await adminQuery(`drop schema ${schema} cascade`);
      }
    })();
    try {
      for (let round = 0; round < 25; round++) {
        const store = await postgresStore.open();
        // A second run over an up-to-date schema introspects too, and is what every CLI command does.
        await store.storage.migrate();
        await store.dispose();
      }
    } finally {
      churning = false;
      await churn;
    }
  });
});
