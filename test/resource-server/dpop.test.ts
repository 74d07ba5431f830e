import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { calculateJwkThumbprint, SignJWT, generateSecret } from 'jose';
import { DpopProofError, DpopVerifier, MemoryReplayCache, type ProofExpectations } from '@gatehouse/resource-server';
import { RedisReplayCache } from '../../src/storage/redis-replay-cache.js';
import { DpopKey } from '../support/dpop-key.js';
import { REDIS_URL, unavailable } from '../support/services.js';

const URL_ = 'https://api.example.com/crm/v8/Leads';
const expect: ProofExpectations = { method: 'GET', url: URL_, accessToken: 'the-token' };

async function refusal(verifier: DpopVerifier, proof: string, expected: ProofExpectations = expect): Promise<DpopProofError> {
  const err = await verifier.verify(proof, expected).then(
    () => assert.fail('the proof was accepted'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof DpopProofError, String(err));
  return err;
}

describe('DPoP proof checker (RFC 9449 §4.3)', () => {
  test('a good proof gives its key thumbprint, for every allowed algorithm', async () => {
    for (const alg of ['ES256', 'EdDSA', 'RS256', 'PS256'] as const) {
      const key = await DpopKey.generate(alg);
      const proof = await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token' });
      const { jkt } = await new DpopVerifier().verify(proof, expect);
      assert.equal(jkt, await calculateJwkThumbprint(key.publicJwk, 'sha256'), alg);
    }
  });

  test('htu is compared without query and fragment, scheme and host in any case, default port or none', async () => {
    const key = await DpopKey.generate();
    const verifier = new DpopVerifier();
    for (const htu of ['HTTPS://API.example.com:443/crm/v8/Leads', 'https://api.example.com/crm/v8/Leads?x=1#f']) {
      await verifier.verify(await key.proof({ htm: 'GET', htu, accessToken: 'the-token' }), expect);
    }
    for (const htu of [
      'https://api.example.com/crm/v8/leads',
      'http://api.example.com/crm/v8/Leads',
      'https://api.example.com:8443/crm/v8/Leads',
      'not a url',
    ]) {
      const err = await refusal(verifier, await key.proof({ htm: 'GET', htu, accessToken: 'the-token' }));
      assert.match(err.message, /htu/, htu);
    }
  });

  test('each rule refuses on its own: typ, alg, signature, jwk, htm, iat, jti, ath', async () => {
    const key = await DpopKey.generate();
    const other = await DpopKey.generate();
    const verifier = new DpopVerifier();
    const good = { htm: 'GET', htu: URL_, accessToken: 'the-token' };
    const cases: Array<[string, Promise<string>, RegExp]> = [
      ['typ', key.proof({ ...good, typ: 'JWT' }), /typ/],
      ['private jwk', key.proof({ ...good, jwk: key.privateJwk }), /public key/],
      ['another key in jwk', key.proof({ ...good, jwk: other.publicJwk }), /signature/],
      ['htm', key.proof({ ...good, htm: 'POST' }), /htm/],
      ['iat too old', key.proof({ ...good, iat: Math.floor(Date.now() / 1000) - 120 }), /iat/],
      ['iat in the future', key.proof({ ...good, iat: Math.floor(Date.now() / 1000) + 120 }), /iat/],
      ['jti too long', key.proof({ ...good, jti: 'x'.repeat(300) }), /jti/],
      ['ath of another token', key.proof({ ...good, accessToken: 'another-token' }), /ath/],
      ['no ath', key.proof({ htm: 'GET', htu: URL_ }), /ath/],
    ];
    for (const [name, proof, message] of cases) assert.match((await refusal(verifier, await proof)).message, message, name);
  });

  test('alg none and HMAC proofs are refused, whatever they claim', async () => {
    const verifier = new DpopVerifier();
    const claims = { htm: 'GET', htu: URL_, jti: 'a', iat: Math.floor(Date.now() / 1000) };
    const unsigned = `${Buffer.from(JSON.stringify({ typ: 'dpop+jwt', alg: 'none', jwk: { kty: 'oct', k: 'AAAA' } })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    assert.equal((await refusal(verifier, unsigned, { method: 'GET', url: URL_ })).code, 'invalid_dpop_proof');
    const secret = await generateSecret('HS256', { extractable: true });
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ typ: 'dpop+jwt', alg: 'HS256', jwk: { kty: 'oct', k: 'AAAA' } as never })
      .sign(secret);
    assert.equal((await refusal(verifier, hmac, { method: 'GET', url: URL_ })).code, 'invalid_dpop_proof');
  });

  test('a proof is accepted once; a refused one has not used its jti', async () => {
    const key = await DpopKey.generate();
    const verifier = new DpopVerifier();
    const proof = await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token', jti: 'once' });
    await refusal(verifier, proof, { ...expect, method: 'POST' });
    await verifier.verify(proof, expect);
    assert.match((await refusal(verifier, proof)).message, /used before/);
  });

  test('a nonce the server does not honour is use_dpop_nonce, checked after the signature', async () => {
    const key = await DpopKey.generate();
    const verifier = new DpopVerifier();
    const withNonce = (nonce: string | undefined): ProofExpectations => ({
      ...expect,
      nonceIsCurrent: (n) => n === 'current' && nonce === n,
    });
    const missing = await refusal(verifier, await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token' }), withNonce('current'));
    assert.equal(missing.code, 'use_dpop_nonce');
    const forged = await refusal(
      verifier,
      (await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token' })) + 'x',
      withNonce('current'),
    );
    assert.equal(forged.code, 'invalid_dpop_proof');
    await verifier.verify(await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token', nonce: 'current' }), withNonce('current'));
  });

  test('the memory replay cache is bounded, forgets expired entries first, and refuses a live repeat', () => {
    let now = 0;
    const cache = new MemoryReplayCache(2, () => now);
    assert.equal(cache.firstUse('a', 100), true);
    assert.equal(cache.firstUse('a', 100), false);
    assert.equal(cache.firstUse('b', 1_000), true);
    now = 200;
    assert.equal(cache.firstUse('c', 1_000), true, 'a expired and made room');
    assert.equal(cache.firstUse('b', 1_000), false);
    assert.equal(cache.firstUse('a', 100), true, 'an expired jti is new again');
  });
});

describe('DPoP replay across two nodes sharing Redis', async () => {
  const skip = await unavailable('Redis');
  const caches: RedisReplayCache[] = [];
  after(() => Promise.all(caches.map((c) => c.close())));
  test('a proof used at one node is refused at the other', { skip }, async () => {
    const prefix = `gatehouse:test-dpop:${Date.now()}:`;
    const [a, b] = [new RedisReplayCache(REDIS_URL, prefix), new RedisReplayCache(REDIS_URL, prefix)];
    caches.push(a!, b!);
    const key = await DpopKey.generate();
    const proof = await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token' });
    await new DpopVerifier({ replay: a }).verify(proof, expect);
    assert.match((await refusal(new DpopVerifier({ replay: b }), proof)).message, /used before/);
    // Both at once: exactly one passes.
    const racing = await key.proof({ htm: 'GET', htu: URL_, accessToken: 'the-token' });
    const results = await Promise.allSettled([a, b].map((replay) => new DpopVerifier({ replay }).verify(racing, expect)));
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  });
});
