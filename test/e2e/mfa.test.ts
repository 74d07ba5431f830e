import assert from 'node:assert/strict';
import { test } from 'node:test';
import { totpCode } from '../support/mfa.js';
import { describeInChromium, PASSWORD, REDIRECT, TEST_OPTIONS } from './user-browser.js';

describeInChromium('e2e: multi-factor sign-in in a real browser', (current) => {
  test(
    'add an authenticator app from the pages, sign out, sign in with password and code through an authorization request',
    TEST_OPTIONS,
    async () => {
      const b = current();
      const { h, page } = b;
      const user = await h.user();
      const client = await h.client(user, 'server');

      await b.openSecurityPage(user.email);
      await b.clickAndLoad(page.getByRole('link', { name: 'Set up an authenticator app' }));
      await b.expectAt('/account/security/totp');
      await b.expectLockedDownPage();
      assert.ok(await page.locator('.qr svg').isVisible(), 'the QR code is drawn');
      assert.match((await page.getByRole('link', { name: 'Open the setup link' }).getAttribute('href')) ?? '', /^otpauth:\/\/totp\//);
      // Read the key from the page, as a person typing it into an app would; the test is the app.
      const secret = (await page.locator('#totp-secret').innerText()).trim();
      await page.getByLabel('Code from the app').fill(totpCode(secret, h.clock.now()));
      await b.clickAndLoad(page.getByRole('button', { name: 'Turn on' }));
      assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Save your recovery codes');
      assert.equal(await page.locator('.recovery-codes li').count(), 10);
      await b.expectLockedDownPage();
      await b.clickAndLoad(page.getByRole('link', { name: 'I saved them, continue' }));
      await b.expectAt('/account/security');
      assert.match(await page.getByRole('main').innerText(), /Added \d{4}-\d\d-\d\d/);

      await b.clickAndLoad(page.getByRole('button', { name: 'Sign out' }));
      await b.expectAt('/signin');
      h.clock.current += 30_000; // the next step: the enrollment's code is used up

      await b.startAuthorization(client);
      await b.submitSignIn(user.email, PASSWORD);
      await b.expectAt('/signin/verify');
      await b.expectLockedDownPage();
      const field = page.getByLabel('Code', { exact: true });
      assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
      assert.equal(await field.getAttribute('inputmode'), 'numeric');
      await field.fill('000000' === totpCode(secret, h.clock.now()) ? '111111' : '000000');
      await b.clickAndLoad(page.getByRole('button', { name: 'Verify' }));
      assert.equal((await page.getByRole('alert').innerText()).trim(), 'That code is not right. Try again.');
      await page.getByLabel('Code', { exact: true }).fill(totpCode(secret, h.clock.now()));
      await b.clickAndLoad(page.getByRole('button', { name: 'Verify' }));
      await b.expectAt('/oauth/v2/auth');
      const params = await b.answerConsent('Accept');
      const tokens = await h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT });
      assert.ok(await h.accessTokenWorks(tokens.access_token));
      assert.deepEqual(b.cspViolations, []);
    },
  );
});
