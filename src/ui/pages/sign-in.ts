import { html } from '../html.js';
import { csrfField } from '../form-fields.js';
import { layout } from '../layout.js';

export interface SignInPage {
  csrf: string;
  returnTo: string;
  /** The application an authorization request in progress is for: the user signs in to continue to it. */
  appName?: string;
  email?: string;
  error?: string;
}

export function signInPage(page: SignInPage): string {
  return layout(
    { title: 'Sign in' },
    html`<section class="card narrow">
      <h1>Sign in</h1>
      <p class="lede">${page.appName ? html`Sign in to continue to <strong>${page.appName}</strong>.` : 'Use your Gatehouse account.'}</p>
      ${page.error ? html`<p class="alert error" role="alert">${page.error}</p>` : ''}
      <form method="post" action="/signin" novalidate>
        ${csrfField(page.csrf)}
        <input type="hidden" name="return_to" value="${page.returnTo}" />
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" required autofocus value="${page.email ?? ''}" />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <button class="button primary block" type="submit">Sign in</button>
      </form>
    </section>`,
  );
}
