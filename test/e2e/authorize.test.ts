import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { APP_NAME, describeInChromium, ISSUER, PASSWORD, REDIRECT, STATE, TEST_OPTIONS } from './user-browser.js';

/** The scopes as the consent page words them: the first line of each item (the second is the scope's name). */
async function scopesInWords(page: Page): Promise<string[]> {
  const items = await page.getByRole('main').getByRole('listitem').allInnerTexts();
  return items.map((text) => text.split('\n')[0]!.trim());
}

describeInChromium('e2e: authorization in a real browser', (current) => {
  test('sign in, consent, Accept: the application gets a code that buys a working access token', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');

    await b.startAuthorization(client);
    await b.expectAt('/signin');
    await b.expectLockedDownPage();
    await b.submitSignIn(user.email, PASSWORD);

    await b.expectAt('/oauth/v2/auth');
    await b.expectLockedDownPage();
    assert.equal(await b.page.getByRole('heading', { level: 1 }).innerText(), `${APP_NAME} wants to access your account`);
    // In the scope registry's order, the same on every page.
    assert.deepEqual(await scopesInWords(b.page), ['Read your profile (name, email address, user ID)', 'Read your CRM leads']);

    const params = await b.answerConsent('Accept');
    assert.equal(b.page.url().split('?')[0], REDIRECT, 'back at the redirect URI');
    assert.ok(params.get('code'), 'a code');
    assert.equal(params.get('state'), STATE, 'the state comes back exactly as sent');
    assert.equal(params.get('location'), 'us');
    assert.equal(params.get('accounts-server'), ISSUER);
    assert.equal(params.get('iss'), ISSUER);

    const tokens = await b.h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT });
    assert.ok(tokens.refresh_token, 'offline access on first consent gives a refresh token');
    assert.ok(await b.h.accessTokenWorks(tokens.access_token), 'the access token works at /oauth/user/info');
  });

  test(
    'prompt=login with login_hint: a signed-in user signs in again, email filled in, then the app gets a code',
    TEST_OPTIONS,
    async () => {
      const b = current();
      const user = await b.h.user();
      const client = await b.h.client(user, 'server');
      await b.reachConsent(client, user.email);
      await b.answerConsent('Accept');
      b.h.clock.advance(60);

      await b.startAuthorization(client, { prompt: 'login', login_hint: user.email });
      await b.expectAt('/signin');
      await b.expectLockedDownPage();
      assert.equal(await b.page.getByLabel('Email', { exact: true }).inputValue(), user.email, 'login_hint fills the email field');
      b.h.clock.advance(1); // the person types
      await b.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await b.clickAndLoad(b.page.getByRole('button', { name: 'Sign in', exact: true }));

      const back = new URL(b.page.url());
      assert.equal(back.origin + back.pathname, REDIRECT, 'back at the application once, not at the sign-in form again');
      assert.ok(back.searchParams.get('code'));
      assert.equal(back.searchParams.get('state'), STATE);
    },
  );

  test('Reject: the application gets access_denied with its state, and no code', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');
    await b.reachConsent(client, user.email);

    const params = await b.answerConsent('Reject');
    assert.equal(params.get('error'), 'access_denied');
    assert.equal(params.get('state'), STATE);
    assert.equal(params.get('iss'), ISSUER);
    assert.equal(params.get('code'), null);
  });

  test('a wrong password, or an unknown email, shows one generic message and stays on the sign-in page', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');
    await b.startAuthorization(client);
    await b.expectAt('/signin');

    for (const [email, password] of [
      [user.email, 'incorrect horse battery'],
      ['nobody-here@example.com', PASSWORD],
    ] as const) {
      await b.submitSignIn(email, password);
      const alert = b.page.getByRole('alert');
      assert.equal((await alert.innerText()).trim(), 'Incorrect email or password.', email);
      assert.equal(new URL(b.page.url()).pathname, '/signin', 'still on the sign-in page');
      assert.equal(await b.page.getByLabel('Email', { exact: true }).inputValue(), email, 'the email is kept');
      assert.equal(await b.page.getByLabel('Password', { exact: true }).inputValue(), '', 'the password is not sent back');
      assert.equal(await b.page.getByRole('button', { name: 'Accept' }).count(), 0);
      await b.expectLockedDownPage();
    }

    // The form still works afterwards and still carries the authorization request.
    await b.submitSignIn(user.email, PASSWORD);
    await b.expectAt('/oauth/v2/auth');
    await b.page.getByRole('button', { name: 'Accept' }).waitFor();
  });
});
