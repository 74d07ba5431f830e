import { aboutNewUser, CLI_CONTEXT } from '../../core/audit/audit-log.js';
import { purgeExpired, PURGE_EVERY_MS, schedulePurge } from '../../core/purge.js';
import { ensureFirstAdmin, DEFAULT_ADMIN_EMAIL } from '../../core/users/first-admin.js';
import { ConnectionTracker } from '../../http/connections.js';
import { GatehouseMetrics } from '../../http/metrics/gatehouse-metrics.js';
import { listenForMetrics, metricsUrl } from '../../http/metrics/metrics-endpoint.js';
import { gatehouseReadiness } from '../../http/readiness.js';
import { serverLog } from '../../http/log-output.js';
import { closeLog } from '../../http/request-log.js';
import { buildHttpServer } from '../../http/server.js';
import { shutDownGracefully } from '../../http/shutdown.js';
import { redactUrl } from '../../storage/open-storage.js';
import type { Command } from '../command.js';
import { openGatehouse } from '../context.js';
import { applySeedFile, describeSeedResult } from '../seeding.js';

export const serveCommand: Command = {
  words: ['serve'],
  summary: 'Run the server (migrates first; creates and prints a first admin on an empty database).',
  options: {},
  database: 'creates',
  async run(_values, settings, output) {
    const metrics = settings.metrics.serve === 'off' ? undefined : new GatehouseMetrics();
    const { gatehouse, records, hashKeySource, close } = await openGatehouse(settings, 'creates', metrics);
    // The id_token signing key exists from the first start (generated then, kept in the store), not from first use,
    // and a key that does not open under this GATEHOUSE_SECRET_KEY stops the start, not a later sign-in.
    await gatehouse.signingKeys.signing();
    // Before the first admin: a seed file that makes users makes that one unnecessary. A file with a problem stops the start.
    const seed = settings.seedFile;
    const seeded =
      seed === undefined
        ? undefined
        : await applySeedFile(seed, gatehouse, records, `GATEHOUSE_SEED_FILE (${seed}): `).catch(async (err: unknown) => {
            await close();
            throw err;
          });
    const admin = await ensureFirstAdmin(
      { users: gatehouse.storage.users, now: gatehouse.now, dataCenters: gatehouse.config.dataCenters },
      settings.adminEmail ?? DEFAULT_ADMIN_EMAIL,
    );
    if (admin) await gatehouse.audit.record(CLI_CONTEXT, aboutNewUser(admin));
    // Under --json, stdout carries exactly one JSON object, so the logs go to stderr.
    const { stream, destination: log } = serverLog(output.json ? 2 : 1, settings.logFormat);
    const readiness = gatehouseReadiness(gatehouse);
    const app = buildHttpServer(gatehouse, records, {
      logger: { level: settings.logLevel, stream },
      trustProxy: settings.trustProxy,
      readiness,
      ...(metrics ? { metrics, metricsOnOwnPort: settings.metrics.serve === 'own-port' } : {}),
    });
    if (hashKeySource === 'stored') {
      app.log.warn('GATEHOUSE_SECRET_KEY is not set: credentials are hashed with a key kept in the database. Set it in production.');
    }
    gatehouse.storage.cacheInvalidation?.watch((connected) =>
      connected
        ? app.log.info('read cache: change notifications are back; caching resumes')
        : app.log.warn('read cache: change notifications lost; every read goes to the database until they are back'),
    );
    gatehouse.backChannelLogout.reportFailuresTo((failure) => app.log.warn(failure, 'back-channel logout failed'));
    await app.listen({ port: settings.port, host: settings.host });
    const metricsListener =
      metrics && settings.metrics.serve === 'own-port'
        ? await listenForMetrics(metrics, settings.metrics.port, settings.metrics.host)
        : undefined;
    const connections = ConnectionTracker.forApp(app);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;

    // Stopped before the store and the log close: shutdown waits for a sweep under way, which may still log.
    const purge = schedulePurge(() => purgeExpired(gatehouse, gatehouse.now()), {
      everyMs: PURGE_EVERY_MS,
      onError: (err) => app.log.error({ err }, 'purge failed'),
    });

    const summary = {
      url: `http://${settings.host}:${port}`,
      issuer: gatehouse.config.issuer,
      database: redactUrl(settings.databaseUrl),
      ...(metricsListener ? { metrics: metricsUrl(metricsListener) } : {}),
      ...(admin ? { admin: { email: admin.email, password: admin.password } } : {}),
      ...(seeded ? { seed: { file: seed, ...seeded } } : {}),
    };
    if (output.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const lines = [`Gatehouse is serving ${summary.url} (issuer ${summary.issuer}, database ${summary.database}).`];
      if (seeded) lines.push(`${seed}: ${describeSeedResult(seeded)}`);
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
    await shutDownGracefully(
      {
        app,
        readiness,
        connections,
        ...(metricsListener ? { metricsListener } : {}),
        boundSeconds: settings.shutdownSeconds,
        async closeServices() {
          await purge.stop();
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
