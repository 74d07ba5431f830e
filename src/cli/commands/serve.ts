import { ensureFirstAdmin, DEFAULT_ADMIN_EMAIL } from '../../core/users/first-admin.js';
import { ConnectionTracker } from '../../http/connections.js';
import { gatehouseReadiness } from '../../http/readiness.js';
import { closeLog, logDestination } from '../../http/request-log.js';
import { buildHttpServer } from '../../http/server.js';
import { shutDownGracefully } from '../../http/shutdown.js';
import { redactUrl } from '../../storage/open-storage.js';
import type { Command } from '../command.js';
import { openGatehouse } from '../context.js';

/** Expired codes (and sessions, consent pages) are kept a day past expiry, so a late replay is still recognised as one, then swept. */
const PURGE_EVERY_MS = 10 * 60_000;
const KEEP_EXPIRED_MS = 24 * 60 * 60_000;

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'Run the server (migrates first; creates and prints a first admin on an empty database).',
  options: {},
  database: 'creates',
  async run(_values, settings, output) {
    const { gatehouse, records, hashKeySource, close } = await openGatehouse(settings);
    // The id_token signing key exists from the first start (generated then, kept in the store), not from first use,
    // and a key that does not open under this GATEHOUSE_SECRET_KEY stops the start, not a later sign-in.
    await gatehouse.signingKeys.signing();
    const admin = await ensureFirstAdmin(
      { users: gatehouse.storage.users, now: gatehouse.now },
      settings.adminEmail ?? DEFAULT_ADMIN_EMAIL,
    );
    // Under --json, stdout carries exactly one JSON object, so the logs go to stderr.
    const log = logDestination(output.json ? 2 : 1);
    const readiness = gatehouseReadiness(gatehouse);
    const app = buildHttpServer(gatehouse, records, {
      logger: { level: settings.logLevel, stream: log },
      trustProxy: settings.trustProxy,
      readiness,
    });
    if (hashKeySource === 'stored') {
      app.log.warn('GATEHOUSE_SECRET_KEY is not set: credentials are hashed with a key kept in the database. Set it in production.');
    }
    gatehouse.storage.cacheInvalidation?.watch((connected) =>
      connected
        ? app.log.info('read cache: change notifications are back; caching resumes')
        : app.log.warn('read cache: change notifications lost; every read goes to the database until they are back'),
    );
    await app.listen({ port: settings.port, host: settings.host });
    const connections = ConnectionTracker.forApp(app);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;

    // Kept so that shutdown waits for a purge under way, which may still log, before the store and the log close.
    let purging: Promise<unknown> = Promise.resolve();
    const purge = setInterval(() => {
      const before = gatehouse.now() - KEEP_EXPIRED_MS;
      const { tokens, sessions, interactions, deviceAuthorizations } = gatehouse.storage;
      purging = Promise.all([
        tokens.purgeExpired(before),
        sessions.deleteExpired(before),
        interactions.deleteExpired(before),
        deviceAuthorizations.deleteExpired(before),
      ]).catch((err) => app.log.error({ err }, 'purge failed'));
    }, PURGE_EVERY_MS);
    purge.unref();

    const summary = {
      url: `http://${settings.host}:${port}`,
      issuer: gatehouse.config.issuer,
      database: redactUrl(settings.databaseUrl),
      ...(admin ? { admin } : {}),
    };
    if (output.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const lines = [`Gatehouse is serving ${summary.url} (issuer ${summary.issuer}, database ${summary.database}).`];
      if (admin) {
        lines.push('', 'First start: an admin was created. Sign in once with this one-time password and choose a new one:');
        lines.push(`  email:    ${admin.email}`, `  password: ${admin.password}`, '');
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    }

    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    clearInterval(purge);
    await shutDownGracefully(
      {
        app,
        readiness,
        connections,
        boundSeconds: settings.shutdownSeconds,
        async closeServices() {
          await purging;
          await close();
        },
        exit(code) {
          log.flushSync();
          process.exit(code);
        },
      },
      signal,
    );
    await closeLog(log);
  },
};
