import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { UserBrowser } from './user-browser.js';
import { describeInChromium, PASSWORD, REDIRECT, TEST_OPTIONS } from './user-browser.js';

/**
 * A platform authenticator with resident keys and user verification, as Chrome DevTools' WebAuthn domain makes one:
 * the browser's real WebAuthn code runs against it, answering the pages' passkey buttons without a person.
 */
async function addVirtualAuthenticator(b: UserBrowser): Promise<void> {
  const cdp = await b.page.context().newCDPSession(b.page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
}

/** After sign-in the authorization request goes on: to the consent page the first time, straight back after. */
async function codeFromAuthorization(b: UserBrowser): Promise<string> {
  if (!b.page.url().startsWith(`${REDIRECT}?`)) {
    await b.expectAt('/oauth/v2/auth');
    return (await b.answerConsent('Accept')).get('code')!;
  }
  return new URL(b.page.url()).searchParams.get('code')!;
}

async function signOut(b: UserBrowser): Promise<void> {
  await b.page.goto(`${b.h.baseUrl}/account/security`);
  await b.clickAndLoad(b.page.getByRole('button', { name: 'Sign out' }));
  await b.expectAt('/signin');
}

describeInChromium(
  'e2e: passkeys in a real browser (issuer http://localhost)',
  (current) => {
    test(
      'add a passkey on the security page; sign in with password + passkey, then with the passkey alone, each through an authorization request',
      TEST_OPTIONS,
      async () => {
        const b = current();
        const { h, page } = b;
        await addVirtualAuthenticator(b);
        const user = await h.user();
        const client = await h.client(user, 'server');

        await b.openSecurityPage(user.email);
        await b.expectLockedDownPage();
        await page.getByLabel('Name for a new passkey (optional)').fill('Test laptop');
        await b.clickAndLoad(page.getByRole('button', { name: 'Add a passkey' }));
        await b.expectAt('/account/security');
        assert.equal((await page.getByRole('status').innerText()).trim(), 'The passkey was added. You can use it to sign in.');
        assert.equal(await page.locator('.passkey-name').innerText(), 'Test laptop');
        assert.match(await page.locator('#passkeys').innerText(), /Added \d{4}-\d\d-\d\d[^\n]*, not used yet/);
        await b.screenshot('passkeys-security-page');
        const [stored] = await h.storage.passkeys.listForUser(user.zuid);
        assert.equal(stored?.name, 'Test laptop');

        await signOut(b);
        await b.startAuthorization(client);
        await b.submitSignIn(user.email, PASSWORD);
        await b.expectAt('/signin/verify');
        await b.expectLockedDownPage();
        await b.clickAndLoad(page.getByRole('button', { name: 'Use a passkey' }));
        const first = await h.exchange(client, await codeFromAuthorization(b), { redirect_uri: REDIRECT });
        assert.ok(await h.accessTokenWorks(first.access_token));

        await signOut(b);
        await b.startAuthorization(client);
        await b.expectAt('/signin');
        await b.expectLockedDownPage();
        await b.screenshot('passkeys-sign-in-page');
        await b.clickAndLoad(page.getByRole('button', { name: 'Sign in with a passkey' }));
        const second = await h.exchange(client, await codeFromAuthorization(b), { redirect_uri: REDIRECT });
        assert.ok(await h.accessTokenWorks(second.access_token));
        const events = await h.storage.auditEvents.list({ userZuid: user.zuid, limit: 50 });
        assert.ok(events.some((e) => e.type === 'user.signin.passkey.succeeded'));
        assert.ok(events.some((e) => e.type === 'user.signin.mfa.succeeded' && e.detail === 'passkey'));
        assert.deepEqual(b.cspViolations, []);
      },
    );
  },
  { issuer: 'localhost' },
);
