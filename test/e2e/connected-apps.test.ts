import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APP_NAME, describeInChromium, TEST_OPTIONS } from './user-browser.js';

describeInChromium('e2e: connected apps in a real browser', (current) => {
  test('Revoke removes the app from the list, and its access and refresh tokens stop working', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');
    const tokens = await b.authorizeAndExchange(client, user.email);
    assert.ok(await b.h.accessTokenWorks(tokens.access_token));

    // The same browser is still signed in, so the account page opens directly.
    await b.page.goto(`${b.h.baseUrl}/account/connected-apps`);
    await b.expectLockedDownPage();
    const app = b.page.getByRole('listitem').filter({ has: b.page.getByRole('heading', { name: APP_NAME, exact: true }) });
    assert.equal(await app.count(), 1, `${APP_NAME} is listed`);

    await b.clickAndLoad(app.getByRole('button', { name: /Revoke/ }));
    await b.expectAt('/account/connected-apps');
    await b.expectLockedDownPage();
    assert.equal((await b.page.getByRole('status').innerText()).trim(), 'Access revoked.');
    assert.equal(await b.page.getByRole('heading', { name: APP_NAME }).count(), 0, 'the app is gone from the list');
    assert.equal(await b.page.getByText('No application has access to your account.').count(), 1);

    assert.equal(await b.h.accessTokenWorks(tokens.access_token), false, 'the access token stopped working');
    const refreshed = await b.h.refresh(client, tokens.refresh_token!);
    assert.equal(refreshed.body?.error, 'invalid_grant', 'the refresh token stopped working');
  });
});
