import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { APP_NAME, authorizationUrl, describeInChromium, PASSWORD, TEST_OPTIONS } from './user-browser.js';

const PHONE = { width: 375, height: 740 };

/**
 * A stand-in for another site: a real server on loopback, reached as `localhost` (a different site than 127.0.0.1,
 * where Gatehouse listens). It must be a real server: Chrome treats a page the test fulfils itself as public and then
 * blocks its frames onto the local network, whatever headers Gatehouse sends.
 */
async function serveOnLocalhost(page: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end(page));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The element's box lies within the page's width: nothing cut off or pushing a horizontal scrollbar. */
async function fitsWidth(locator: Locator, width: number): Promise<boolean> {
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is laid out');
  return box.x >= 0 && box.x + box.width <= width;
}

describeInChromium('e2e: the pages themselves', (current) => {
  test('every page is sent with frame-ancestors none and holds no script (screenshots of each)', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');

    await b.startAuthorization(client);
    await b.expectAt('/signin');
    await b.expectLockedDownPage();
    await b.screenshot('signin');

    await b.submitSignIn(user.email, PASSWORD);
    await b.expectAt('/oauth/v2/auth');
    await b.expectLockedDownPage();
    await b.screenshot('consent');
    await b.answerConsent('Accept');

    await b.page.goto(`${b.h.baseUrl}/account/connected-apps`);
    await b.page.getByRole('heading', { name: APP_NAME }).waitFor();
    await b.expectLockedDownPage();
    await b.screenshot('connected-apps');

    // An unregistered redirect URI must not be redirected to: the user gets an error page from Gatehouse itself.
    const error = await b.page.goto(authorizationUrl(b.h, client, { redirect_uri: 'https://app.example.com/not-registered' }));
    assert.equal(error?.status(), 400);
    assert.equal(await b.page.getByRole('heading', { level: 1 }).innerText(), 'Invalid redirect URI');
    await b.expectLockedDownPage();
    await b.screenshot('error-redirect-uri');

    // Every document the server sent, redirects included (the Accept POST's 303, say), carried the header.
    const served = await b.servedDocuments();
    const paths = new Set(served.map((d) => new URL(d.url).pathname));
    for (const path of ['/oauth/v2/auth', '/signin', '/oauth/v2/auth/consent', '/account/connected-apps']) {
      assert.ok(paths.has(path), `visited ${path}`);
    }
    for (const document of served) {
      assert.match(document.csp ?? '', /frame-ancestors 'none'/, `${document.status} ${document.url}`);
    }
  });

  test('a page on another site cannot show Gatehouse pages in a frame', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');
    // /healthz sends no framing headers: it shows that framing itself works here, so a frame blocked for some other
    // reason (Chrome's local network checks, say) cannot make this test pass.
    const attacker = await serveOnLocalhost(`<!doctype html><title>Win a prize</title>
      <iframe name="control" src="${b.h.baseUrl}/healthz"></iframe>
      <iframe name="signin" src="${b.h.baseUrl}/signin"></iframe>
      <iframe name="authorize" src="${authorizationUrl(b.h, client)}"></iframe>`);
    try {
      b.allowOrigin(new URL(attacker.url).origin);
      await b.page.goto(attacker.url);

      const control = b.page.frame({ name: 'control' });
      assert.match((await control?.textContent('body')) ?? '', /"status":"ok"/, 'an unprotected page does show in a frame');
      for (const name of ['signin', 'authorize']) {
        const frame = b.page.frame({ name });
        assert.ok(frame, name);
        assert.equal(await frame.locator('input[type=password]').count(), 0, `the ${name} frame shows no sign-in form`);
        assert.equal(await frame.getByRole('button').count(), 0, `the ${name} frame shows no button to trick a click on`);
      }
    } finally {
      await attacker.close();
    }
  });

  test('on a phone (375×740) the consent page fits: Accept and Reject visible, no horizontal scrolling', TEST_OPTIONS, async () => {
    const b = current();
    const user = await b.h.user();
    const client = await b.h.client(user, 'server');
    await b.reachConsent(client, user.email);

    await b.page.setViewportSize(PHONE);
    for (const name of ['Accept', 'Reject']) {
      const button = b.page.getByRole('button', { name, exact: true });
      assert.ok(await button.isVisible(), `${name} is visible`);
      assert.ok(await fitsWidth(button, PHONE.width), `${name} fits the width`);
    }
    assert.ok((await b.scrollWidth()) <= PHONE.width, `no horizontal scrolling (page is ${await b.scrollWidth()}px wide)`);
    await b.screenshot('consent-phone');
  });
});
