import assert from 'node:assert/strict';
import { Secret, TOTP } from 'otpauth';
import type { BrowserAgent, Page } from './browser-agent.js';

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
