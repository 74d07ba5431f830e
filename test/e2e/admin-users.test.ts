import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { User } from '../../src/core/users/user.js';
import { describeInChromium, PASSWORD, TEST_OPTIONS, UserBrowser } from './user-browser.js';

/** What the new user chooses at their first sign-in. */
const CHOSEN_PASSWORD = 'my own long passphrase';
const USERS = '/developer-console/admin/users';

/** Several people's browsers, each with page loads and argon2 sign-ins: well over a minute on a loaded CI machine. */
const LONG_TEST = { timeout: 180_000 };

const text = async (b: UserBrowser, selector: string) => (await b.page.locator(selector).innerText()).trim();
/** The console's notice after an action ("User disabled. …"). */
const notice = (b: UserBrowser) => text(b, '[role=status].alert');
/** The sign-in page's error message. */
const alert = (b: UserBrowser) => text(b, '[role=alert]');
/** The Users tab of the console (the user page's breadcrumb links there too). */
const usersTab = (b: UserBrowser) =>
  b.page.getByRole('navigation', { name: 'Console sections' }).getByRole('link', { name: 'Users', exact: true });

/** The status of the last document the server sent to this browser (the page on screen). */
async function lastStatus(b: UserBrowser): Promise<number> {
  const documents = await b.servedDocuments();
  assert.ok(documents.length > 0, 'no document served');
  return documents.at(-1)!.status;
}

/** Opens `path`, is sent to sign in, signs in, and is back at `path`. */
async function signInAt(b: UserBrowser, email: string, password: string, path: string): Promise<void> {
  await b.page.goto(b.h.baseUrl + path);
  await b.expectAt('/signin');
  await b.submitSignIn(email, password);
  await b.expectAt(path);
}

/** Whether the browser still has a session: a page that needs one either shows or sends it to sign in. */
async function signedIn(b: UserBrowser): Promise<boolean> {
  await b.page.goto(`${b.h.baseUrl}/account/connected-apps`);
  const path = new URL(b.page.url()).pathname;
  assert.ok(['/account/connected-apps', '/signin'].includes(path), await b.describePage());
  return path === '/account/connected-apps';
}

/** From the sign-in page, with a password that is right but one-time: the must-change page, then the console. */
async function firstSignIn(b: UserBrowser, email: string, oneTime: string, chosen: string): Promise<void> {
  await b.page.goto(`${b.h.baseUrl}/developer-console`);
  await b.expectAt('/signin');
  await b.submitSignIn(email, oneTime);
  await b.expectAt('/account/password');
  assert.equal(await text(b, 'h1'), 'Choose a new password');
  assert.match(await b.page.locator('main').innerText(), /You signed in with a one-time password\. Choose your own before you go on\./);
  // Nothing else opens until the password is chosen.
  await b.page.goto(`${b.h.baseUrl}/developer-console`);
  await b.expectAt('/account/password');
  await b.page.getByLabel('Current password', { exact: true }).fill(oneTime);
  await b.page.getByLabel('New password', { exact: true }).fill(chosen);
  await b.page.getByLabel('New password, again', { exact: true }).fill(chosen);
  await b.clickAndLoad(b.page.getByRole('button', { name: 'Save password' }));
  await b.expectAt('/developer-console');
  assert.equal(await text(b, '.who'), email, 'signed in as the new user');
}

describeInChromium('e2e: user administration in the console, and the sign-in lockout', (current) => {
  test(
    'an administrator adds a user (password shown once, a reload adds no second user), who then chooses a password; disable signs them out and refuses them, enable lets them in',
    LONG_TEST,
    async () => {
      const admin = current();
      const h = admin.h;
      const me = await h.user({ isAdmin: true, firstName: 'Ada', lastName: 'Admin' });
      await signInAt(admin, me.email, PASSWORD, USERS);
      await admin.expectLockedDownPage({ script: true });
      const before = (await h.storage.users.list()).length;

      await admin.clickAndLoad(admin.page.getByRole('link', { name: 'Add User' }));
      await admin.expectAt(`${USERS}/new`);
      const email = `new-${Date.now()}@example.com`;
      await admin.page.getByLabel('Email', { exact: true }).fill(email);
      await admin.page.getByLabel('First name', { exact: true }).fill('Noor');
      await admin.page.getByLabel('Last name', { exact: true }).fill('Newman');
      assert.equal(await admin.page.getByLabel('First password', { exact: true }).inputValue(), '', 'left empty: one is generated');
      assert.equal(await admin.page.getByLabel('Administrator').isChecked(), false);
      await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Create' }));

      assert.equal(await lastStatus(admin), 201, await admin.describePage());
      assert.equal(await notice(admin), 'User created.');
      assert.equal(await text(admin, 'h1'), 'Noor Newman');
      const oneTime = await text(admin, '#one-time-password');
      assert.ok(oneTime.length >= 12, `a generated password: ${oneTime}`);
      assert.equal(await admin.page.getByLabel('One-time password').innerText(), oneTime, 'the value is labelled');
      await admin.expectLockedDownPage({ script: true });
      await admin.screenshot('admin-user-created');
      const created = await h.storage.users.findByEmail(email);
      assert.ok(created, 'the user exists');
      assert.equal(created.mustChangePassword, true);
      assert.equal(created.isAdmin, false);
      assert.equal((await h.storage.users.list()).length, before + 1);
      assert.equal(new URL(admin.page.url()).pathname, `${USERS}/${created.zuid}`, 'the page took the user page’s address');

      // A reload fetches the user's page: the form is not sent again and the password is not shown again.
      const reloaded = admin.page.waitForEvent('load');
      await admin.page.reload();
      await reloaded;
      assert.equal(await lastStatus(admin), 200);
      assert.equal(await text(admin, 'h1'), 'Noor Newman');
      assert.equal(await admin.page.locator('#one-time-password').count(), 0, 'the password is not shown again');
      assert.ok(!(await admin.page.content()).includes(oneTime));
      assert.equal((await h.storage.users.list()).length, before + 1, 'no second user');

      // The new user, in their own browser: the one-time password, then their own.
      const user = await UserBrowser.open(admin.context.browser()!, h);
      try {
        await firstSignIn(user, email, oneTime, CHOSEN_PASSWORD);
        await user.screenshot('admin-new-user-signed-in');
        assert.equal((await h.storage.users.findByEmail(email))!.mustChangePassword, false);

        // Disable, from the user's page; the console's script asks in a dialog first.
        await admin.page.goto(`${h.baseUrl}${USERS}`);
        await admin.clickAndLoad(admin.page.getByRole('link', { name: 'Noor Newman' }));
        await admin.page.getByRole('button', { name: 'Disable', exact: true }).click();
        const dialog = admin.page.getByRole('dialog');
        assert.match(await dialog.innerText(), new RegExp(`Disable ${email.replace(/\./g, '\\.')}\\? They cannot sign in`));
        await admin.screenshot('admin-disable-confirm');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        assert.equal(await dialog.count(), 0);
        assert.equal((await h.storage.users.findByEmail(email))!.disabled, false, 'Cancel changed nothing');
        await admin.page.getByRole('button', { name: 'Disable', exact: true }).click();
        await admin.clickAndLoad(admin.page.getByRole('dialog').getByRole('button', { name: 'OK' }));
        await admin.expectAt(`${USERS}/${created.zuid}`);
        assert.match(await notice(admin), /^User disabled\./);
        assert.equal(await admin.page.locator('.badge', { hasText: 'Disabled' }).count(), 1);
        assert.equal(await admin.page.getByRole('button', { name: 'Disable', exact: true }).count(), 0);
        assert.equal((await h.storage.users.findByEmail(email))!.disabled, true);

        // Their next page load finds them signed out; the right password is then answered with "disabled".
        await user.page.goto(`${h.baseUrl}/developer-console`);
        await user.expectAt('/signin');
        await user.submitSignIn(email, 'not the password');
        assert.equal(await alert(user), 'Incorrect email or password.', 'a wrong password does not learn the account is disabled');
        await user.submitSignIn(email, CHOSEN_PASSWORD);
        await user.expectAt('/signin');
        assert.equal(await lastStatus(user), 403);
        assert.equal(await alert(user), 'This account is disabled. Ask an administrator to enable it.');
        assert.equal(await signedIn(user), false);

        // Enable (no question asked), and they sign in again.
        await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Enable', exact: true }));
        assert.match(await notice(admin), /^User enabled\./);
        assert.equal(await admin.page.locator('.badge', { hasText: 'Disabled' }).count(), 0);
        await admin.clickAndLoad(usersTab(admin));
        const row = admin.page.locator('tbody tr').filter({ hasText: email });
        assert.match(await row.innerText(), /User\s+Active/);
        await signInAt(user, email, CHOSEN_PASSWORD, '/developer-console');
      } finally {
        await user.close();
      }
    },
  );

  test(
    'without script the server asks: reset password (shown once) ends their session and the old password; make administrator signs them out',
    LONG_TEST,
    async () => {
      const h = current().h;
      const me = await h.user({ isAdmin: true });
      const target = await h.user({ firstName: 'Tom', lastName: 'Target' });
      const targetBrowser = current();
      await signInAt(targetBrowser, target.email, PASSWORD, '/account/connected-apps');

      const admin = await UserBrowser.open(targetBrowser.context.browser()!, h, { script: false });
      try {
        await signInAt(admin, me.email, PASSWORD, `${USERS}/${target.zuid}`);
        assert.equal(await text(admin, 'h1'), 'Tom Target');

        // Reset password: the form arrives unconfirmed, so the server's page asks; Cancel leads back unchanged.
        await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Reset password' }));
        assert.equal(await text(admin, 'h1'), `Reset the password of ${target.email}?`, await admin.describePage());
        await admin.expectLockedDownPage({ script: true });
        await admin.screenshot('admin-reset-confirm-page');
        await admin.clickAndLoad(admin.page.getByRole('link', { name: 'Cancel' }));
        await admin.expectAt(`${USERS}/${target.zuid}`);
        assert.ok(await signedIn(targetBrowser), 'Cancel changed nothing');
        await admin.page.goto(`${h.baseUrl}${USERS}/${target.zuid}`);
        await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Reset password' }));
        await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Reset password' }));
        assert.equal(await notice(admin), 'Password reset. Every session of theirs has ended.', await admin.describePage());
        const oneTime = await text(admin, '#one-time-password');
        assert.ok(oneTime.length >= 12);
        await admin.screenshot('admin-reset-done');

        assert.equal(await signedIn(targetBrowser), false, "the user's session ended");
        await targetBrowser.page.goto(`${h.baseUrl}/signin`);
        await targetBrowser.submitSignIn(target.email, PASSWORD);
        assert.equal(await lastStatus(targetBrowser), 401);
        assert.equal(await alert(targetBrowser), 'Incorrect email or password.', 'the old password is refused');
        // The one-time password signs them in, to the must-change page (a session, not yet usable elsewhere).
        await targetBrowser.submitSignIn(target.email, oneTime);
        await targetBrowser.expectAt('/account/password');

        // Make administrator: asked by the server too, then the page says so.
        await admin.page.goto(`${h.baseUrl}${USERS}/${target.zuid}`);
        assert.equal(await admin.page.locator('#one-time-password').count(), 0, 'shown once');
        await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Make administrator' }));
        assert.equal(await text(admin, 'h1'), `Make ${target.email} an administrator?`);
        await admin.clickAndLoad(admin.page.getByRole('button', { name: 'Make administrator' }));
        await admin.expectAt(`${USERS}/${target.zuid}`);
        assert.equal(await notice(admin), 'Now an administrator. They were signed out everywhere.');
        assert.equal(await admin.page.locator('header .badge').first().innerText(), 'Administrator');
        assert.equal(await admin.page.getByRole('button', { name: 'Remove administrator' }).count(), 1);
        assert.equal((await h.storage.users.findByZuid(target.zuid))!.isAdmin, true);

        // Signed out by the change of role; signed in again, they choose a password and see the administrators' tabs.
        await targetBrowser.page.goto(`${h.baseUrl}/account/password`);
        await targetBrowser.expectAt('/signin');
        await firstSignIn(targetBrowser, target.email, oneTime, CHOSEN_PASSWORD);
        await targetBrowser.clickAndLoad(usersTab(targetBrowser));
        await targetBrowser.expectAt(USERS);
        assert.equal(await lastStatus(targetBrowser), 200);
      } finally {
        await admin.close();
      }
    },
  );

  test('a user who is not an administrator gets the 403 page at the users pages, and no Users tab', TEST_OPTIONS, async () => {
    const b = current();
    const other: User = await b.h.user();
    const user = await b.h.user();
    await signInAt(b, user.email, PASSWORD, '/developer-console');
    assert.equal(await b.page.getByRole('navigation', { name: 'Console sections' }).count(), 0, 'no section tabs');
    assert.equal(await b.page.getByRole('link', { name: 'Users', exact: true }).count(), 0);
    for (const path of [USERS, `${USERS}/new`, `${USERS}/${other.zuid}`]) {
      await b.page.goto(b.h.baseUrl + path);
      await b.expectAt(path);
      assert.equal(await lastStatus(b), 403, path);
      assert.equal(await text(b, 'h1'), 'Not allowed', path);
      assert.ok(!(await b.page.content()).includes(other.email), `${path} shows no other user`);
    }
    await b.screenshot('admin-users-forbidden');
  });

  test(
    'five wrong passwords in the sign-in form, then the right one: "Too many failed attempts" (429), no session',
    TEST_OPTIONS,
    async () => {
      const b = current();
      const user = await b.h.user();
      await b.page.goto(`${b.h.baseUrl}/signin`);
      for (let i = 1; i <= 5; i++) {
        await b.submitSignIn(user.email, `wrong password ${i}`);
        await b.expectAt('/signin');
        assert.equal(await lastStatus(b), 401, `attempt ${i}`);
        assert.equal(await alert(b), 'Incorrect email or password.', `attempt ${i}`);
        assert.equal(await b.page.getByLabel('Email', { exact: true }).inputValue(), user.email, 'the email stays typed');
      }
      await b.submitSignIn(user.email, PASSWORD);
      await b.expectAt('/signin');
      assert.equal(await lastStatus(b), 429);
      assert.match(await alert(b), /^Too many failed attempts\. Try again in \d+ minutes\.$/);
      await b.screenshot('signin-locked-out');
      assert.equal(await signedIn(b), false, 'no session');
      assert.deepEqual(
        (await b.context.cookies()).filter((c) => c.name === 'gh_session'),
        [],
        'no session cookie was set',
      );
      const sessions = (await b.h.snapshot())['sessions'];
      assert.ok(sessions, 'the snapshot has the sessions table');
      assert.ok(!sessions.some((row) => row.includes(user.zuid)), 'no session of the user is stored');
    },
  );
});
