import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildHttpServer } from '../../src/http/server.js';
import { Harness } from '../support/harness.js';
import { sqliteStore } from '../support/stores.js';

describe('the client address behind a reverse proxy', () => {
  let h: Harness;
  before(async () => {
    h = await Harness.start(sqliteStore);
  });
  after(() => h.close());

  /** The address Gatehouse logs (and limits sign-ins by) for a request that claims to be forwarded for 203.0.113.7. */
  async function addressSeen(trustProxy: false | string): Promise<string> {
    const lines: string[] = [];
    const stream = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const app = buildHttpServer(h.gatehouse, h.storage.records, { logger: { level: 'info', stream }, trustProxy });
    try {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      await fetch(`${base}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    } finally {
      await app.close();
    }
    const incoming = lines
      .map((line) => JSON.parse(line) as { msg: string; req?: { ip: string } })
      .find((l) => l.msg === 'request completed');
    return incoming!.req!.ip;
  }

  test('X-Forwarded-For is believed from a trusted proxy only', async () => {
    assert.equal(await addressSeen(false), '127.0.0.1', 'by default the header is ignored: anyone can send it');
    assert.equal(await addressSeen('10.0.0.0/8'), '127.0.0.1', 'not from an address outside the trusted ranges');
    assert.equal(await addressSeen('127.0.0.1'), '203.0.113.7', 'from the trusted proxy');
  });
});
