/**
 * The passkey pages' script, served at /assets/passkeys.js after `@simplewebauthn/browser` (/assets/webauthn.js, from
 * our own node_modules, never a CDN). A button `data-passkey="register"` or `"authenticate"` inside a form asks
 * `data-options` (POST, with the form's CSRF token) for WebAuthn options, lets the browser talk to the authenticator,
 * puts its answer (JSON) into the form's `passkey_response` field and sends the form. Buttons stay hidden where the
 * browser has no WebAuthn. Kept as plain browser JavaScript in a string so the build needs no bundler.
 */
export const PASSKEY_SCRIPT = `'use strict';
(function () {
  var webauthn = window.SimpleWebAuthnBrowser;
  if (!webauthn || !webauthn.browserSupportsWebAuthn()) return;
  document.querySelectorAll('button[data-passkey]').forEach(function (button) {
    var form = button.form;
    var status = document.getElementById(button.getAttribute('data-status'));
    button.hidden = false;
    button.addEventListener('click', function () {
      button.disabled = true;
      if (status) status.hidden = true;
      fetch(button.getAttribute('data-options'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
        body: new URLSearchParams({ csrf: form.elements.csrf.value }),
      })
        .then(function (response) {
          if (!response.ok) throw new Error('The server could not start this. Reload the page and try again.');
          return response.json();
        })
        .then(function (options) {
          return button.getAttribute('data-passkey') === 'register'
            ? webauthn.startRegistration({ optionsJSON: options })
            : webauthn.startAuthentication({ optionsJSON: options });
        })
        .then(function (answer) {
          form.elements.passkey_response.value = JSON.stringify(answer);
          form.submit();
        })
        .catch(function (error) {
          button.disabled = false;
          if (!status) return;
          status.textContent = error && error.name === 'NotAllowedError'
            ? 'The passkey was not used (cancelled or timed out).'
            : (error && error.message) || 'The passkey did not work.';
          status.setAttribute('role', 'alert');
          status.hidden = false;
        });
    });
  });
})();
`;
