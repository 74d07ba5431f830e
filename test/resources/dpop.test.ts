import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeEachStore } from '../support/each-store.js';
import { boundToken, DpopKey } from '../support/dpop-key.js';

/** The sample API's public origin in the harness: api_domain, from the issuer, not the address the test calls. */
const API = 'http://gatehouse.test';
const RECORD = '/crm/v8/Leads/4000000000001';

describeEachStore('DPoP at the sample APIs (RFC 9449 §7)', (get) => {
  test('a bound token works as DPoP with a proof for this request, and for records and metadata alike', async () => {
    const h = get();
    const key = await DpopKey.generate();
    const token = await boundToken(h, key);
    for (const path of [RECORD, '/crm/v8/users?type=CurrentUser']) {
      const proof = await key.proof({ htm: 'GET', htu: API + path, accessToken: token }, h.clock.now());
      const res = await h.request(path, { headers: { authorization: `DPoP ${token}`, dpop: proof } });
      assert.ok(res.status === 200 || res.status === 204, `${path}: ${res.status} ${JSON.stringify(res.body)}`);
    }
  });

  test('refused: a bound token as Bearer or Zoho-oauthtoken, a proof of another key, without ath, replayed, for another URL', async () => {
    const h = get();
    const key = await DpopKey.generate();
    const token = await boundToken(h, key);
    const call = (headers: Record<string, string>) => h.request(RECORD, { headers });
    const proof = (fields: Partial<Parameters<DpopKey['proof']>[0]> = {}, by = key) =>
      by.proof({ htm: 'GET', htu: API + RECORD, accessToken: token, ...fields }, h.clock.now());

    for (const scheme of ['Bearer', 'Zoho-oauthtoken']) {
      // Twice: the second time the token is in the store's memory, where the read lane looks first.
      for (let i = 0; i < 2; i++) {
        const res = await call({ authorization: `${scheme} ${token}` });
        assert.deepEqual([res.status, res.body!.code], [401, 'INVALID_TOKEN'], scheme);
        assert.match(
          res.headers.get('www-authenticate')!,
          /Bearer realm="[^"]+", error="invalid_token".*DPoP realm="[^"]+", algs="ES256 EdDSA RS256 PS256"/,
        );
      }
    }
    const refusedProof = async (headers: Record<string, string>, why: string) => {
      const res = await call(headers);
      assert.deepEqual([res.status, res.body!.code], [401, 'INVALID_DPOP_PROOF'], why);
      assert.match(res.headers.get('www-authenticate')!, /DPoP realm="[^"]+", error="invalid_dpop_proof", algs=/, why);
    };
    await refusedProof({ authorization: `DPoP ${token}`, dpop: await proof({}, await DpopKey.generate()) }, 'another key');
    await refusedProof({ authorization: `DPoP ${token}`, dpop: await proof({ accessToken: undefined }) }, 'no ath');
    await refusedProof({ authorization: `DPoP ${token}`, dpop: await proof({ htu: `${h.baseUrl}${RECORD}` }) }, 'the Host header URL');
    await refusedProof({ authorization: `DPoP ${token}` }, 'no proof');
    const once = await proof();
    assert.equal((await call({ authorization: `DPoP ${token}`, dpop: once })).status, 204);
    await refusedProof({ authorization: `DPoP ${token}`, dpop: once }, 'replayed');
  });

  test('an unbound token stays a bearer token: refused with the DPoP scheme, accepted as Zoho-oauthtoken', async () => {
    const h = get();
    const client = await h.client(await h.user(), 'self');
    const { access_token: token } = await h.clientCredentials(client);
    const key = await DpopKey.generate();
    const asDpop = await h.request(RECORD, {
      headers: {
        authorization: `DPoP ${token}`,
        dpop: await key.proof({ htm: 'GET', htu: API + RECORD, accessToken: token }, h.clock.now()),
      },
    });
    assert.deepEqual([asDpop.status, asDpop.body!.code], [401, 'INVALID_TOKEN']);
    assert.equal((await h.request(RECORD, { headers: { authorization: `Zoho-oauthtoken ${token}` } })).status, 204);
  });

  test("Gatehouse's own profile endpoint refuses a bound token presented as a bearer token", async () => {
    const h = get();
    const token = await boundToken(h, await DpopKey.generate());
    assert.equal(await h.accessTokenWorks(token), false);
  });
});
