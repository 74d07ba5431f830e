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
.button { text-decoration: none; display: inline-flex; align-items: center; justify-content: center; min-width: 7rem; padding: .65rem 1.25rem; border-radius: 8px; border: 1px solid transparent; font: inherit; font-weight: 600; cursor: pointer; }
.button.primary { background: var(--accent); color: var(--accent-ink); }
.button.secondary { background: var(--paper); color: var(--ink); border-color: var(--line); }
.button.danger { background: var(--paper); color: var(--danger); border-color: #f1c4c4; }
.button.block { width: 100%; margin-top: 1.5rem; }
.actions { display: flex; gap: .75rem; justify-content: flex-end; margin-top: 1.75rem; flex-wrap: wrap; }
.link-button { white-space: nowrap; background: none; border: none; padding: 0; color: var(--accent); font: inherit; cursor: pointer; text-decoration: underline; }
.alert { border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
.alert.error { background: var(--danger-soft); color: var(--danger); }
.alert.ok { background: var(--ok-soft); }
.qr svg { display: block; width: 12rem; height: 12rem; margin: 0 auto 1rem; }
.card + .card { margin-top: 1rem; }
.passkeys { list-style: none; padding: 0; margin: 0 0 1rem; }
.passkeys li { border-top: 1px solid var(--line); padding: .75rem 0; }
.passkeys li:first-child { border-top: 0; padding-top: 0; }
.passkeys .passkey-name { display: block; margin-bottom: .75rem; }
.recovery-codes { columns: 2; list-style: none; padding: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
.app-identity { display: flex; gap: 1rem; align-items: center; margin-bottom: 1.25rem; }
.app-avatar { flex: none; display: grid; place-items: center; width: 3rem; height: 3rem; border-radius: 12px; background: #e8efff; color: var(--accent); font-weight: 700; font-size: 1.25rem; }
.scopes { list-style: none; padding: 0; margin: 0; border: 1px solid var(--line); border-radius: 10px; }
.scopes li { padding: .75rem 1rem; border-top: 1px solid var(--line); }
.scopes li:first-child { border-top: none; }
.orgs { border: none; padding: 0; margin: 1rem 0; }
.orgs label { display: flex; gap: .6rem; align-items: baseline; padding: .5rem 0; }
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
.topnav { display: flex; gap: 1rem; margin-right: auto; margin-left: 1.5rem; font-size: .95rem; }
.topnav a { color: var(--muted); text-decoration: none; }
.topnav a:hover { color: var(--ink); text-decoration: underline; }
.topnav a[aria-current=page] { color: var(--ink); font-weight: 600; }
.page.wide { max-width: 64rem; }
.eyebrow { color: var(--muted); font-size: .8rem; font-weight: 600; letter-spacing: .06em; text-transform: uppercase; margin: 0 0 .5rem; }
.breadcrumb { color: var(--muted); font-size: .9rem; margin: 0 0 .75rem; }
.heading-row { display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-bottom: 1rem; }
.heading-row h1 { margin: 0; }
.live-counts { display: flex; flex-wrap: wrap; gap: 1rem; margin: 0 0 1rem; }
.live-counts div { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); padding: .75rem 1.25rem; min-width: 8rem; }
.live-counts dt { color: var(--muted); font-size: .9rem; }
.live-counts dd { margin: 0; font-size: 1.5rem; font-weight: 700; }
.chart-card { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem 1.25rem; margin-bottom: 1rem; }
.chart-card h2 { font-size: 1rem; margin: 0 0 .5rem; }
.chart { display: block; width: 100%; height: auto; }
.chart rect { fill: var(--accent); }
.chart .baseline { stroke: var(--muted); }
.chart text { font-size: 9px; fill: var(--ink); }
.chart .bar-label { fill: var(--muted); }
.tabs { display: flex; gap: .25rem; border-bottom: 1px solid var(--line); margin: 1rem 0 1.25rem; overflow-x: auto; }
.tabs a { padding: .6rem .9rem; color: var(--muted); text-decoration: none; border-bottom: 3px solid transparent; white-space: nowrap; font-weight: 600; }
.tabs a[aria-current=page] { color: var(--accent); border-bottom-color: var(--accent); }
.page.wide .card { margin-bottom: 1rem; }
.card h2 { font-size: 1.1rem; margin: 0 0 .75rem; }
.card .meta { color: var(--muted); font-size: .9rem; margin-top: -.5rem; }
.table-card { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow); overflow-x: auto; }
table.list { width: 100%; border-collapse: collapse; }
table.list th, table.list td { text-align: left; padding: .75rem 1rem; border-top: 1px solid var(--line); vertical-align: top; }
table.list thead th { border-top: none; color: var(--muted); font-size: .85rem; font-weight: 600; }
table.list code, .copyable-value, .scope-chip { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; overflow-wrap: anywhere; }
table.list form { margin: 0; }
.sub { display: block; color: var(--muted); font-size: .85rem; }
.scope-chip { display: inline-block; background: var(--canvas); border: 1px solid var(--line); border-radius: 6px; padding: 0 .35rem; margin: 0 .25rem .25rem 0; }
.type-grid { list-style: none; padding: 0; margin: 0; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); }
.type-card h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
.type-card p { margin: 0; color: var(--muted); }
.type-card.is-disabled { opacity: .75; }
.field { margin-bottom: .25rem; }
.hint { color: var(--muted); font-size: .85rem; margin: .35rem 0 0; }
.field-error { color: var(--danger); font-size: .9rem; font-weight: 600; margin: .35rem 0 0; }
.field.has-error input, .field.has-error textarea, .field.has-error select { border-color: var(--danger); }
textarea, select, input[type=url], input[type=datetime-local] {
  width: 100%; padding: .65rem .75rem; border: 1px solid var(--line); border-radius: 8px; font: inherit; background: #fff;
}
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .9rem; resize: vertical; }
select:focus-visible, textarea:focus-visible { outline: 3px solid rgba(31,111,235,.35); outline-offset: 2px; }
.client-header { display: flex; align-items: center; gap: .75rem; flex-wrap: wrap; }
.client-header h1 { margin: 0; }
.badge { display: inline-block; padding: .15rem .6rem; border-radius: 999px; background: #e8efff; color: var(--accent); font-size: .8rem; font-weight: 600; }
.copyable { margin: 1rem 0; }
.copyable-label { display: block; font-weight: 600; font-size: .9rem; margin-bottom: .35rem; }
.copyable-row { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
.copyable-value { flex: 1; min-width: 0; padding: .6rem .75rem; background: var(--canvas); border: 1px solid var(--line); border-radius: 8px; user-select: all; }
.copy-button { min-width: 5.5rem; }
.secret-once { border: 1px solid #f3d37a; background: #fffaeb; border-radius: 10px; padding: .25rem 1rem; margin-bottom: 1rem; }
.warning { font-weight: 600; }
.danger-zone { border-color: #f1c4c4; }
.button.small { min-width: 0; padding: .35rem .8rem; font-size: .9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.scope-catalogue { margin-top: 1.5rem; }
.scope-catalogue summary { cursor: pointer; font-weight: 600; }
.scope-catalogue .scopes { margin-top: .75rem; max-height: 20rem; overflow-y: auto; }
.filters { display: grid; gap: 0 1rem; grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr)); align-items: end; }
.filters .actions { margin-top: 0; justify-content: flex-start; }
.pager { margin-top: 1rem; }
.confirm-dialog { border: none; border-radius: var(--radius); box-shadow: var(--shadow); padding: 1.5rem; max-width: 28rem; width: calc(100% - 2rem); }
.confirm-dialog::backdrop { background: rgba(16,24,40,.45); }
.confirm-dialog p { margin: 0; }
@media (max-width: 640px) {
  .topbar { flex-wrap: wrap; row-gap: .5rem; }
  .topnav { order: 3; width: 100%; margin: 0; gap: 1rem; font-size: .9rem; }
  table.list thead { display: none; }
  table.list tr { display: block; border-top: 1px solid var(--line); padding: .5rem 0; }
  table.list td { display: block; border: none; padding: .25rem 1rem; }
  table.list td[data-label]::before { content: attr(data-label); display: block; color: var(--muted); font-size: .75rem; font-weight: 600; }
}
@media (max-width: 480px) {
  .card { padding: 1.25rem; }
  .actions { flex-direction: column-reverse; }
  .actions .button { width: 100%; }
  .topbar { padding: .75rem 1rem; }
  .who { display: none; }
}
`;
