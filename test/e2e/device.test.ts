import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeInChromium, PASSWORD, TEST_OPTIONS } from './user-browser.js';

describeInChromium('e2e: connecting a device in a real browser', (current) => {
  test('the device shows a code; the user signs in, types it, accepts; the device polls and gets its tokens', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const device = await b.h.client(user, 'device');
    const started = (await b.h.post('/oauth/v3/device/code', { client_id: device.clientId, scope: 'ZohoCRM.modules.leads.READ' })).body!;
    const poll = () =>
      b.h.post('/oauth/v3/device/token', {
        client_id: device.clientId,
        client_secret: device.clientSecret!,
        grant_type: 'device_token',
        code: started.device_code,
      });
    assert.equal((await poll()).body!.error, 'authorization_pending');

    // The user opens the address the device shows (not the complete link: they type the code). The issuer is a
    // stand-in name; the browser reaches this server under its real address.
    await b.page.goto(b.h.baseUrl + new URL(started.verification_url).pathname);
    await b.expectAt('/signin');
    await b.submitSignIn(user.email, PASSWORD);
    await b.expectAt('/oauth/v3/device');
    await b.expectLockedDownPage();
    await b.page.getByLabel('Code', { exact: true }).fill(started.user_code.toLowerCase());
    await b.clickAndLoad(b.page.getByRole('button', { name: 'Continue' }));
    await b.expectLockedDownPage();
    assert.equal(await b.page.getByRole('heading', { level: 1 }).innerText(), 'Test device app wants to access your account');
    await b.clickAndLoad(b.page.getByRole('button', { name: 'Accept', exact: true }));
    assert.equal(await b.page.getByRole('heading', { level: 1 }).innerText(), 'Device connected');
    await b.expectLockedDownPage();

    b.h.clock.advance(5);
    const tokens = await poll();
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(tokens.body!.scope, 'ZohoCRM.modules.leads.READ');
    assert.equal(tokens.body!.refresh_token, undefined, 'online access: no refresh token');
  });
});
