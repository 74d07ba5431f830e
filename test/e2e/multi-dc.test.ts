import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { chromiumUnavailable, launchChromium } from '../support/chromium.js';
import { authorizePath, enable, exchange, PASSWORD, startTwoDcs, userIn } from '../support/data-centers.js';
import { describeEach } from '../support/each-store.js';
import { STORE_KINDS } from '../support/stores.js';
import { TEST_OPTIONS, UserBrowser } from './user-browser.js';

/**
 * The browser flow of two data centres in Chromium (spec §9): it may start at either DC's accounts server, where the
 * user signs in (each host its own cookies); the redirect sends the application to the user's own DC.
 */
const skip = chromiumUnavailable();
if (skip) describe('e2e: data centres in a real browser', { skip }, () => {});
else
  describeEach(
    'e2e: data centres in a real browser',
    STORE_KINDS,
    startTwoDcs,
    ({ h }) => h.close(),
    (get) => {
      let browser: Browser | undefined;
      before(async () => {
        browser = await launchChromium();
      });
      after(async () => {
        await browser?.close();
      });

      for (const start of ['us', 'eu'] as const) {
        test(
          `started at the ${start} accounts server, an eu user comes back with location=eu and its accounts-server`,
          TEST_OPTIONS,
          async () => {
            const { h, us, eu } = get();
            const origin = start === 'us' ? us : eu;
            const client = await h.client(await userIn(h, 'us'), 'server');
            await enable(h, client, ['eu']);
            const ann = await userIn(h, 'eu');
            const b = await UserBrowser.open(browser!, h);
            b.allowOrigin(eu);
            try {
              await b.page.goto(origin + authorizePath(client));
              assert.equal(new URL(b.page.url()).origin + new URL(b.page.url()).pathname, `${origin}/signin`);
              await b.submitSignIn(ann.email, PASSWORD);
              await b.page.getByRole('button', { name: 'Accept' }).waitFor();
              const params = await b.answerConsent('Accept');
              assert.equal(params.get('location'), 'eu');
              assert.equal(params.get('accounts-server'), eu);
              assert.equal(params.get('iss'), origin);
              const tokens = await exchange(params.get('accounts-server')!, client, params.get('code')!);
              assert.equal(tokens.status, 200);
              assert.equal(tokens.body.api_domain, eu);
            } finally {
              await b.close();
            }
          },
        );
      }
    },
  );
