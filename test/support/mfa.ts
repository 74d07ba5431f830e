import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { Secret, TOTP } from 'otpauth';
import type { BrowserAgent, Page } from './browser-agent.js';
import type { Harness, RegisteredTestClient } from './harness.js';
import type { Claims, SoftAuthenticator } from './soft-authenticator.js';

/** The code an authenticator app shows at `timestamp` for a base32 secret (RFC 6238 defaults, as Gatehouse uses). */
export function totpCode(secret: string, timestamp: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp });
}

/** The setup key the enrollment page shows as text (for people who cannot scan). */
export function setupKey(page: Page): string {
  const match = /<code class="copyable-value" id="totp-secret"[^>]*>([A-Z2-7]+)<\/code>/.exec(page.body);
  assert.ok(match, `no setup key on the page (status ${page.status})`);
  return match[1]!;
}

/** The recovery codes a page shows once. */
export function recoveryCodesOn(page: Page): string[] {
  return [...page.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]!);
}

/**
 * Adds an authenticator app from the pages, as a signed-in person does: opens the setup page, reads the key, types
 * the code of `now`. Returns the secret and the recovery codes shown.
 */
export async function enrollTotp(agent: BrowserAgent, now: number): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = await agent.get('/account/security/totp');
  assert.equal(setup.status, 200, setup.body.slice(0, 200));
  const secret = setupKey(setup);
  const done = await agent.post('/account/security/totp', {
    csrf: setup.field('csrf'),
    return_to: setup.field('return_to'),
    enrollment: setup.field('enrollment'),
    code: totpCode(secret, now),
  });
  assert.equal(done.status, 200, done.body.slice(0, 300));
  const recoveryCodes = recoveryCodesOn(done);
  assert.equal(recoveryCodes.length, 10);
  return { secret, recoveryCodes };
}

/** The password step then the second one, from a fresh form; returns the answer to the code. */
export async function signInWithCode(
  agent: BrowserAgent,
  email: string,
  password: string,
  code: string,
  options: { returnTo?: string; method?: 'totp' | 'recovery' } = {},
): Promise<Page> {
  const afterPassword = await agent.signIn(email, password, options.returnTo);
  assert.equal(afterPassword.status, 303);
  assert.match(afterPassword.location!, /^\/signin\/verify\?/);
  const form = await agent.get(afterPassword.location! + (options.method === 'recovery' ? '&method=recovery' : ''));
  return agent.post('/signin/verify', {
    csrf: form.field('csrf'),
    return_to: form.field('return_to'),
    method: form.field('method'),
    code,
  });
}

/** What a right authenticator claims on a harness with the default issuer (http://gatehouse.test). */
export const RIGHT_CLAIMS: Claims = { origin: 'http://gatehouse.test', rpId: 'gatehouse.test' };

/** The WebAuthn options a page's passkey button would fetch (POST with the page's CSRF token). */
export async function passkeyOptions(
  agent: BrowserAgent,
  optionsPath: string,
  page: Page,
): Promise<{ challenge: string; user: { id: string } }> {
  const answer = await agent.post(optionsPath, { csrf: page.field('csrf') });
  assert.equal(answer.status, 200, answer.body.slice(0, 300));
  return JSON.parse(answer.body) as { challenge: string; user: { id: string } };
}

/** Adds a passkey from the security page as its button does; returns the form's answer (303 when added). */
export async function addPasskey(agent: BrowserAgent, authenticator: SoftAuthenticator, claims = RIGHT_CLAIMS, name = ''): Promise<Page> {
  const page = await agent.get('/account/security');
  const options = await passkeyOptions(agent, '/account/security/passkeys/options', page);
  return agent.post('/account/security/passkeys', {
    csrf: page.field('csrf'),
    name,
    passkey_response: authenticator.register(options, claims),
  });
}

/** The password step, then "Use a passkey" on the second; returns the answer to the passkey. */
export async function signInWithPasskeyStep(
  agent: BrowserAgent,
  email: string,
  password: string,
  authenticator: SoftAuthenticator,
  options: { returnTo?: string; claims?: Claims } = {},
): Promise<Page> {
  const afterPassword = await agent.signIn(email, password, options.returnTo);
  assert.equal(afterPassword.status, 303);
  const form = await agent.get(`${afterPassword.location!}&method=passkey`);
  const challenge = await passkeyOptions(agent, '/signin/verify/passkey/options', form);
  return agent.post('/signin/verify', {
    csrf: form.field('csrf'),
    return_to: form.field('return_to'),
    method: 'passkey',
    passkey_response: authenticator.authenticate(challenge, options.claims ?? RIGHT_CLAIMS),
  });
}

/** "Sign in with a passkey" on the sign-in page, no password; returns the answer to the passkey. */
export async function signInWithPasskeyAlone(
  agent: BrowserAgent,
  authenticator: SoftAuthenticator,
  options: { returnTo?: string; claims?: Claims } = {},
): Promise<Page> {
  const form = await agent.get(`/signin?${new URLSearchParams({ return_to: options.returnTo ?? '/account/connected-apps' })}`);
  const challenge = await passkeyOptions(agent, '/signin/passkey/options', form);
  return agent.post('/signin/passkey', {
    csrf: form.field('csrf'),
    return_to: form.field('return_to'),
    passkey_response: authenticator.authenticate(challenge, options.claims ?? RIGHT_CLAIMS),
  });
}

/** The `amr` of the id_token an authorization (scope openid) in this browser ends with, consenting when asked. */
export async function amrAfterAuthorization(h: Harness, agent: BrowserAgent, client: RegisteredTestClient): Promise<unknown> {
  const redirect = client.redirectUris[0]!;
  const first = await agent.get(
    `/oauth/v2/auth?${new URLSearchParams({ client_id: client.clientId, response_type: 'code', redirect_uri: redirect, scope: 'openid' })}`,
  );
  const back =
    first.status === 303
      ? first
      : await agent.post('/oauth/v2/auth/consent', {
          csrf: first.field('csrf'),
          interaction: first.field('interaction'),
          decision: 'accept',
        });
  const tokens = (await h.exchange(client, back.redirectParams().get('code')!, { redirect_uri: redirect })) as { id_token?: string };
  return decodeJwt(tokens.id_token!).amr;
}
