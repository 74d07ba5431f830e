import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RegisteredTestClient } from '../support/harness.js';
import { describeInChromium, PASSWORD, REDIRECT, STATE, TEST_OPTIONS, type UserBrowser } from './user-browser.js';

/** A server-based client whose redirect URI (answered by the test browser) is also its post-logout redirect URI. */
async function clientWithLogout(b: UserBrowser): Promise<RegisteredTestClient> {
  return b.h.client(await b.h.user(), 'server', [REDIRECT], { postLogoutRedirectUris: [REDIRECT] });
}

const logoutUrl = (b: UserBrowser, params: Record<string, string>) => `${b.h.baseUrl}/oauth/v2/logout?${new URLSearchParams(params)}`;

async function signIn(b: UserBrowser, email: string): Promise<void> {
  await b.page.goto(`${b.h.baseUrl}/signin`);
  await b.submitSignIn(email, PASSWORD);
}

/** After the logout the user's pages ask for a sign-in again. */
async function expectSignedOut(b: UserBrowser): Promise<void> {
  await b.page.goto(`${b.h.baseUrl}/account/connected-apps`);
  await b.expectAt('/signin');
}

describeInChromium('e2e: logout in a real browser', (current) => {
  test("with the application's id_token as hint: signed out at once, back at the application with the state", TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await clientWithLogout(b);
    await signIn(b, user.email);
    await b.startAuthorization(client, { scope: 'openid,email' });
    const params = await b.answerConsent('Accept');
    const tokens = (await b.h.exchange(client, params.get('code')!, { redirect_uri: REDIRECT })) as { id_token?: string };
    const idToken = tokens.id_token!;

    await b.page.goto(logoutUrl(b, { id_token_hint: idToken, post_logout_redirect_uri: REDIRECT, state: STATE }));
    assert.equal(b.page.url().split('?')[0], REDIRECT);
    assert.equal(new URL(b.page.url()).searchParams.get('state'), STATE, 'the state survives the browser');
    await expectSignedOut(b);
  });

  test('without a hint: a locked-down confirmation page; Sign out ends the session and returns', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await clientWithLogout(b);
    await signIn(b, user.email);

    await b.page.goto(logoutUrl(b, { client_id: client.clientId, post_logout_redirect_uri: REDIRECT, state: STATE }));
    await b.expectAt('/oauth/v2/logout');
    await b.expectLockedDownPage();
    assert.equal(await b.page.getByRole('heading', { level: 1 }).innerText(), 'Sign out of Gatehouse?');
    assert.match(await b.page.getByRole('main').innerText(), new RegExp(user.email.replace(/[.+]/g, '\\$&')));

    await b.clickAndLoad(b.page.getByRole('button', { name: 'Sign out' }));
    assert.equal(b.page.url().split('?')[0], REDIRECT);
    assert.equal(new URL(b.page.url()).searchParams.get('state'), STATE);
    await expectSignedOut(b);
  });

  test('Stay signed in keeps the session', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await clientWithLogout(b);
    await signIn(b, user.email);
    await b.page.goto(logoutUrl(b, { client_id: client.clientId }));
    await b.clickAndLoad(b.page.getByRole('link', { name: 'Stay signed in' }));
    await b.expectAt('/account/connected-apps');
  });
});
