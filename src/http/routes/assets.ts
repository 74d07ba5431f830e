import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import { CONSOLE_SCRIPT } from '../../ui/console-script.js';
import { PASSKEY_SCRIPT } from '../../ui/passkey-script.js';
import { STYLESHEET } from '../../ui/styles.js';

/**
 * `@simplewebauthn/browser`'s own browser build (it defines `SimpleWebAuthnBrowser`), read from the installed package
 * once at start: served from this server like every asset, so the CSP's `script-src 'self'` holds and no CDN is
 * trusted. The package's exports name only its modules, so the bundle is found beside its main file.
 */
function webauthnBrowserBundle(): string {
  const main = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(new URL('../dist/bundle/index.umd.min.js', `file://${main}`), 'utf8');
}

/** The pages' static files, kept in code (or read once from a dependency) so the build needs no asset copying. */
export function assetRoutes(app: FastifyInstance): void {
  const asset = (path: string, type: string, body: string) =>
    app.get(path, async (_request, reply) =>
      reply.type(type).headers({ 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' }).send(body),
    );
  asset('/assets/gatehouse.css', 'text/css; charset=utf-8', STYLESHEET);
  asset('/assets/console.js', 'text/javascript; charset=utf-8', CONSOLE_SCRIPT);
  asset('/assets/webauthn.js', 'text/javascript; charset=utf-8', webauthnBrowserBundle());
  asset('/assets/passkeys.js', 'text/javascript; charset=utf-8', PASSKEY_SCRIPT);
}
