/**
 * The console's only script, served at /assets/console.js. Every page works without it; with it:
 * - Copy buttons next to client IDs, secrets and codes;
 * - a confirmation dialog before a destructive form is sent (the server asks again if the form arrives unconfirmed);
 * - scope suggestions for the last name typed in a comma-separated scope list;
 * - a page that answers a form with something shown once (a new secret, a code) takes the address of the page it
 *   belongs to, so reloading it fetches that page instead of sending the form again (a second client, a second
 *   rotation). Without the script the browser still asks before it resends.
 * Kept as plain browser JavaScript in a string so the build needs no bundler.
 */
export const CONSOLE_SCRIPT = `'use strict';
(function () {
  var shownOnce = document.querySelector('[data-location]');
  if (shownOnce && window.history.replaceState) window.history.replaceState(null, '', shownOnce.getAttribute('data-location'));

  // Copy: reveal the buttons only where the script runs; without it the value stays selectable text.
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var source = document.getElementById(button.getAttribute('data-copy'));
      if (!source) return;
      var text = source.textContent.trim();
      var done = function (label) {
        button.textContent = label;
        setTimeout(function () { button.textContent = 'Copy'; }, 2000);
      };
      var select = function () {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        done('Press Ctrl+C');
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done('Copied'); }, select);
      } else {
        select();
      }
    });
  });

  // Confirm: one accessible modal dialog; Escape or Cancel keeps the form unsent.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.querySelector('input[name="confirmed"]')) return;
      event.preventDefault();
      var dialog = document.createElement('dialog');
      dialog.className = 'confirm-dialog';
      dialog.setAttribute('aria-labelledby', 'confirm-question');
      var question = document.createElement('p');
      question.id = 'confirm-question';
      question.textContent = form.getAttribute('data-confirm');
      var actions = document.createElement('div');
      actions.className = 'actions';
      var cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'button secondary';
      cancel.textContent = 'Cancel';
      var ok = document.createElement('button');
      ok.type = 'button';
      ok.className = 'button primary';
      ok.textContent = 'OK';
      actions.append(cancel, ok);
      dialog.append(question, actions);
      document.body.append(dialog);
      cancel.addEventListener('click', function () { dialog.close(); });
      dialog.addEventListener('close', function () { dialog.remove(); });
      ok.addEventListener('click', function () {
        var confirmed = document.createElement('input');
        confirmed.type = 'hidden';
        confirmed.name = 'confirmed';
        confirmed.value = 'yes';
        form.append(confirmed);
        dialog.close();
        form.submit();
      });
      dialog.showModal();
      cancel.focus();
    });
  });

  // Scope suggestions: the datalist offers the whole list so far plus each known name matching the last entry.
  document.querySelectorAll('input[list]').forEach(function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    if (!list) return;
    var known = Array.prototype.map.call(list.options, function (o) { return { name: o.value, label: o.textContent }; });
    input.addEventListener('input', function () {
      var value = input.value;
      var cut = value.lastIndexOf(',') + 1;
      var prefix = value.slice(0, cut);
      var typed = value.slice(cut).trim().toLowerCase();
      var chosen = prefix.split(',').map(function (s) { return s.trim(); });
      list.replaceChildren.apply(list, known
        .filter(function (s) { return s.name.toLowerCase().indexOf(typed) !== -1 && chosen.indexOf(s.name) === -1; })
        .slice(0, 30)
        .map(function (s) {
          var option = document.createElement('option');
          option.value = prefix + s.name;
          option.textContent = s.label;
          return option;
        }));
    });
  });
})();
`;
