import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { authenticationStep } from '../../src/core/authorize/authentication.js';
import type { AuthorizationRequest } from '../../src/core/authorize/authorization-request.js';
import { demandSignIn, signInDemandedAt } from '../../src/core/authorize/sign-in-demand.js';
import { CredentialHasher } from '../../src/core/tokens/credential-hasher.js';

const T = 1_800_000_000_000;

function request(overrides: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return {
    clientId: '1000.CLIENT',
    redirectUri: 'https://app.example.com/callback',
    responseType: 'code',
    responseMode: 'query',
    scope: 'openid',
    state: 's',
    accessType: 'online',
    prompts: [],
    codeChallenge: null,
    codeChallengeMethod: null,
    nonce: null,
    maxAge: null,
    multiFactor: false,
    loginHint: null,
    expectedSubject: null,
    ...overrides,
  };
}

describe('the authentication step of an authorization request', () => {
  const password = { amr: 'pwd', authTime: T - 60_000 };

  test('a session will do unless the request asks for a fresh or a stronger sign-in', () => {
    assert.equal(authenticationStep(request(), undefined, T, undefined), 'sign_in');
    assert.equal(authenticationStep(request(), password, T, undefined), 'done');
    assert.equal(authenticationStep(request({ prompts: ['login'] }), undefined, T, undefined), 'fresh_sign_in');
    assert.equal(authenticationStep(request({ maxAge: 3600 }), undefined, T, undefined), 'fresh_sign_in');
    assert.equal(authenticationStep(request({ prompts: ['select_account'] }), password, T, undefined), 'fresh_sign_in');
    assert.equal(authenticationStep(request({ maxAge: 60 }), password, T, undefined), 'done', 'exactly max_age old is young enough');
    assert.equal(authenticationStep(request({ maxAge: 59 }), password, T, undefined), 'fresh_sign_in');
    assert.equal(authenticationStep(request({ maxAge: 0 }), { amr: 'pwd', authTime: T - 1 }, T, undefined), 'fresh_sign_in');
    assert.equal(authenticationStep(request({ multiFactor: true }), password, T, undefined), 'second_factor');
    assert.equal(authenticationStep(request({ multiFactor: true }), { amr: 'pwd otp mfa', authTime: T }, T, undefined), 'done');
  });

  test('a sign-in after the demand meets prompt=login and max_age; the session the demand found does not', () => {
    const login = request({ prompts: ['login'], maxAge: 0 });
    assert.equal(authenticationStep(login, { amr: 'pwd', authTime: T + 1 }, T + 5, T), 'done');
    assert.equal(authenticationStep(login, { amr: 'pwd', authTime: T }, T + 5, T), 'fresh_sign_in', 'strictly after');
    assert.equal(
      authenticationStep(request({ prompts: ['login'], multiFactor: true }), { amr: 'pwd', authTime: T + 1 }, T + 5, T),
      'second_factor',
      'a fresh password sign-in still steps up',
    );
  });
});

describe('the sign-in demand mark', () => {
  const clock = { current: T };
  const deps = { hasher: new CredentialHasher(randomBytes(32)), now: () => clock.current };

  test('names when it was made, for its own request only, for ten minutes, and cannot be made up', () => {
    clock.current = T;
    const asked = request({ prompts: ['login'] });
    const mark = demandSignIn(asked, deps);
    clock.current = T + 9 * 60_000;
    assert.equal(signInDemandedAt(mark, asked, deps), T);
    assert.equal(signInDemandedAt(mark, request({ prompts: ['login'], state: 'other' }), deps), undefined);
    assert.equal(signInDemandedAt(mark.replace(String(T), String(T + 1)), asked, deps), undefined);
    for (const bad of [undefined, '', 'x', `${T}.${'0'.repeat(64)}`, `${mark}0`])
      assert.equal(signInDemandedAt(bad, asked, deps), undefined);
    clock.current = T + 10 * 60_000;
    assert.equal(signInDemandedAt(mark, asked, deps), undefined, 'expired');
    const otherServer = { hasher: new CredentialHasher(randomBytes(32)), now: deps.now };
    clock.current = T;
    assert.equal(signInDemandedAt(mark, asked, otherServer), undefined);
  });
});
