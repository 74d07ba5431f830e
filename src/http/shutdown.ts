import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { ConnectionTracker } from './connections.js';
import { closeMetricsListener } from './metrics/metrics-endpoint.js';
import type { Readiness } from './readiness.js';

export interface Shutdown {
  app: FastifyInstance;
  readiness: Readiness;
  connections: ConnectionTracker;
  /** The metrics' own listener (`GATEHOUSE_METRICS_PORT`), if any: it answers scrapes until the main server is closed. */
  metricsListener?: Server;
  /** What closes once no connection is left: the store (after its pending commits), the rate limiter. */
  closeServices(): Promise<void>;
  /** How long the whole may take; past it the remaining connections are destroyed and `exit(1)` is called. */
  boundSeconds: number;
  /** Leaves the process at once (the bound passed): writes what the log still holds first. */
  exit(code: number): void;
}

/**
 * A graceful stop, in the order that loses no answer: report not ready (load balancers stop sending), stop accepting,
 * end the connections with nothing in flight, answer the requests in flight (their transactions commit), then close
 * what they used. A client that holds a connection open cannot keep the process up past the bound.
 */
export async function shutDownGracefully(shutdown: Shutdown, signal: string): Promise<void> {
  const { app, readiness, connections, boundSeconds } = shutdown;
  const started = performance.now();
  readiness.startDraining();
  app.log.info({ signal, boundSeconds, connections: connections.size }, 'shutting down: draining');
  const bound = setTimeout(() => {
    app.log.error(
      { connections: connections.size, boundSeconds },
      `shutdown did not finish within ${boundSeconds} s: destroying the ${connections.size} connection(s) left and exiting`,
    );
    connections.destroyAll();
    shutdown.exit(1);
  }, boundSeconds * 1000);
  try {
    const closed = app.close();
    connections.drain();
    await closed;
    if (shutdown.metricsListener) await closeMetricsListener(shutdown.metricsListener);
    await shutdown.closeServices();
  } finally {
    clearTimeout(bound);
  }
  app.log.info({ ms: Math.round(performance.now() - started) }, 'shut down');
}
