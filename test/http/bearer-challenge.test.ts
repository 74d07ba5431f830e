import assert from 'node:assert/strict';
import { test } from 'node:test';
import Fastify from 'fastify';
import { invalidToken } from '../../src/core/errors/oauth-error.js';
import { oauthErrorHandler } from '../../src/http/error-exit.js';

/**
 * A refusal on a Bearer-protected route carries its description in the WWW-Authenticate challenge, a header: a
 * character no header may hold (beyond ASCII) used to fail the whole answer, and the client got a bare "Bad Request"
 * instead of its error. RFC 6750 §3 allows only %x20-21 / %x23-5B / %x5D-7E in error_description.
 */
test('a description with characters a header cannot hold still answers with its error; the challenge keeps what RFC 6750 allows', async () => {
  const app = Fastify();
  app.setErrorHandler(oauthErrorHandler('rfc'));
  app.get('/protected', { config: { errorChannel: 'resource' } }, async () => {
    throw invalidToken('token_invalid', 'The client’s token is “not valid” \\ here.');
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/protected' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(res.json(), { error: 'invalid_token', error_description: 'The client’s token is “not valid” \\ here.' });
    assert.equal(
      res.headers['www-authenticate'],
      'Bearer realm="gatehouse", error="invalid_token", error_description="The clients token is not valid  here."',
    );
  } finally {
    await app.close();
  }
});
