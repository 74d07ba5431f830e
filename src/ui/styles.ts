/** The one stylesheet, served at /assets/gatehouse.css (kept in code so the build needs no asset copying). */
export const STYLESHEET = `
:root {
  --ink: #1d2433; --muted: #5b6478; --line: #e3e6ee; --paper: #ffffff; --canvas: #f4f6fb;
  --accent: #1f6feb; --accent-ink: #ffffff; --danger: #c62828; --danger-soft: #fdecec; --ok-soft: #e9f5ee;
  --radius: 12px; --shadow: 0 1px 2px rgba(16,24,40,.06), 0 8px 24px rgba(16,24,40,.08);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; background: var(--canvas); color: var(--ink); line-height: 1.5; }
a { color: var(--accent); }
.topbar { display: flex; align-items: center; justify-content: space-between; gap: 1rem; padding: .75rem 1.5rem; background: var(--paper); border-bottom: 1px solid var(--line); }
.brand { display: inline-flex; align-items: center; gap: .5rem; font-weight: 700; color: var(--ink); text-decoration: none; }
.brand-mark { display: inline-grid; place-items: center; width: 1.75rem; height: 1.75rem; border-radius: 8px; background: var(--accent); color: var(--accent-ink); }
.signout { display: flex; align-items: center; gap: .75rem; margin: 0; }
.who { color: var(--muted); font-size: .9rem; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 22rem; }
.page { flex: 1; width: 100%; max-width: 44rem; margin: 0 auto; padding: 2rem 1rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); padding: 2rem; }
.card.narrow { max-width: 26rem; margin: 0 auto; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; line-height: 1.25; }
.lede { color: var(--muted); margin: 0 0 1.5rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
input[type=email], input[type=password], input[type=text] {
  width: 100%; padding: .65rem .75rem; border: 1px solid var(--line); border-radius: 8px; font: inherit; background: #fff;
}
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid rgba(31,111,235,.35); outline-offset: 2px; }
.button { display: inline-flex; align-items: center; justify-content: center; min-width: 7rem; padding: .65rem 1.25rem; border-radius: 8px; border: 1px solid transparent; font: inherit; font-weight: 600; cursor: pointer; }
.button.primary { background: var(--accent); color: var(--accent-ink); }
.button.secondary { background: var(--paper); color: var(--ink); border-color: var(--line); }
.button.danger { background: var(--paper); color: var(--danger); border-color: #f1c4c4; }
.button.block { width: 100%; margin-top: 1.5rem; }
.actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.75rem; flex-wrap: wrap; }
.link-button { white-space: nowrap; background: none; border: none; padding: 0; color: var(--accent); font: inherit; cursor: pointer; text-decoration: underline; }
.alert { border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.alert.error { background: var(--danger-soft); color: var(--danger); }
.alert.ok { background: var(--ok-soft); }
.app-identity { display: flex; gap: 1rem; align-items: center; margin-bottom: 1.25rem; }
.app-avatar { flex: none; display: grid; place-items: center; width: 3rem; height: 3rem; border-radius: 12px; background: #e8efff; color: var(--accent); font-weight: 700; font-size: 1.25rem; }
.scopes { list-style: none; padding: 0; margin: 0; border: 1px solid var(--line); border-radius: 10px; }
.scopes li { padding: .75rem 1rem; border-top: 1px solid var(--line); }
.scopes li:first-child { border-top: none; }
.scope-name { display: block; color: var(--muted); font-size: .8rem; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; overflow-wrap: anywhere; }
.note { color: var(--muted); font-size: .9rem; margin-top: 1rem; }
.apps { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; }
.app { display: flex; gap: 1rem; justify-content: space-between; align-items: flex-start; flex-wrap: wrap; }
.app > div { flex: 1; min-width: 0; }
.app h2 { font-size: 1.1rem; margin: 0; }
.app .meta { color: var(--muted); font-size: .9rem; margin: .25rem 0 .5rem; }
.app form { margin: 0; }
.error-code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; color: var(--muted); font-size: .85rem; }
.footer { text-align: center; color: var(--muted); font-size: .8rem; padding: 1.5rem; }
@media (max-width: 480px) {
  .card { padding: 1.25rem; }
  .actions { flex-direction: column-reverse; }
  .actions .button { width: 100%; }
  .topbar { padding: .75rem 1rem; }
  .who { display: none; }
}
`;
