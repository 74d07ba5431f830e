import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseZestSchema } from '../../src/zest/parse-xml.js';
import { ZestError } from '../../src/zest/zest-error.js';

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<oauth2 name="&lol9;"/>`;

/** An oauth2 document whose description is an external entity, so a parser that resolved it would have to read `uri`. */
function externalEntity(uri: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE oauth2 [ <!ENTITY x SYSTEM "${uri}"> ]>
<oauth2 name="demo"><description>&x;</description></oauth2>`;
}

function rejectedAsDoctype(xml: string): ZestError {
  let caught: unknown;
  assert.throws(
    () => parseZestSchema(xml),
    (err) => ((caught = err), true),
  );
  assert.ok(caught instanceof ZestError, String(caught));
  assert.match(caught.problem, /DOCTYPE is not allowed/);
  return caught;
}

describe('the ZEST parser expands no entities and reads nothing', () => {
  let server: Server;
  let requests = 0;
  let base: string;
  before(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.end('SECRET-FROM-THE-NETWORK');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('billion laughs: refused at the DOCTYPE, before any expansion, at once', () => {
    const started = performance.now();
    const err = rejectedAsDoctype(BILLION_LAUGHS);
    assert.equal(err.line, 13, 'the line where the DOCTYPE ends');
    assert.ok(performance.now() - started < 1000);
  });

  test('external entities (file and http) are refused and never fetched', () => {
    const secretFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-xxe-')), 'secret.txt');
    writeFileSync(secretFile, 'SECRET-FROM-THE-DISK');
    for (const uri of ['file:///etc/passwd', `file://${secretFile}`, `${base}/entity`]) {
      const err = rejectedAsDoctype(externalEntity(uri));
      assert.doesNotMatch(err.message, /SECRET|root:/);
    }
    assert.equal(requests, 0, 'the parser made no request');
  });

  test('an entity reference without a declaration is not well-formed; the five predefined ones work', () => {
    assert.throws(() => parseZestSchema('<oauth2 name="&x;"/>'), /not well-formed XML: undefined entity/);
    assert.throws(() => parseZestSchema('<oauth2 name="a"><description>&passwd;</description></oauth2>'), /undefined entity/);
    assert.throws(
      () => parseZestSchema('<oauth2 name="&lt;&amp;&gt;&quot;&apos;"/>'),
      (err: unknown) => err instanceof ZestError && err.path === `/oauth2[@name='<&>"'']`,
    );
  });
});
