import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { resolveConfig } from '../../src/core/config/config.js';
import { createGatehouse } from '../../src/gatehouse.js';
import { describeEach } from '../support/each-store.js';
import { STORE_KINDS } from '../support/stores.js';

describeEach(
  'the first id_token signing key',
  STORE_KINDS,
  (kind) => kind.open(),
  (store) => store.dispose(),
  (get) => {
    test('nodes starting together on an empty database make one key between them, and all sign with it', async () => {
      // Each Gatehouse keeps its own copy of the key list, as each node of a deployment does.
      const hashKey = randomBytes(32);
      const nodes = Array.from({ length: 3 }, () =>
        createGatehouse({ config: resolveConfig({ issuer: 'http://gatehouse.test' }), storage: get().storage, hashKey }),
      );
      const kids = await Promise.all(nodes.map(async (node) => (await node.signingKeys.signing()).kid));
      assert.equal(new Set(kids).size, 1, `signing kids: ${kids.join(', ')}`);
      assert.equal((await get().storage.signingKeys.listActive()).length, 1);
      const jwks = await Promise.all(nodes.map((node) => node.signingKeys.jwks()));
      for (const published of jwks) assert.deepEqual(published, jwks[0]);
    });
  },
);
