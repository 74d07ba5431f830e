import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ClientType } from '../../core/clients/client.js';
import {
  LIMIT_NAMES,
  REVOCATION_KINDS,
  SIGN_IN_OUTCOMES,
  SIGN_IN_STEPS,
  type GatehouseEvents,
  type LimitName,
  type RevocationKind,
  type SignInOutcome,
  type SignInStep,
} from '../../core/observability/events.js';
import type { PoolUse, StoreObserver } from '../../storage/store-observer.js';
import { tallyCounter, tallyHistogram, type BucketCounts, type Children, type Tally } from './tallies.js';

/** Seconds; from a read answered from memory (well under a millisecond) to a slow sign-in (argon2 takes tens). */
const REQUEST_SECONDS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const STATEMENT_SECONDS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];
const GROUP_SIZES = [1, 2, 4, 8, 16, 32, 64, 128];

/** The route label of a request no route matched (its URL is not a label: anyone can send any number of them). */
const UNMATCHED = 'unmatched';

/**
 * Gatehouse's Prometheus metrics: one registry per server (tests run many servers in one process), fed by the core's
 * events, the store's observer and each HTTP request's completion, and written by prom-client when scraped.
 */
export class GatehouseMetrics implements GatehouseEvents, StoreObserver {
  readonly registry = new Registry();
  private readonly requests: Children<BucketCounts>;
  private readonly tokens: Children<Tally>;
  private readonly revocations: Children<Tally>;
  private readonly signIns: Children<Tally>;
  private readonly refusals: Children<Tally>;
  private readonly cacheHits: Tally;
  private readonly cacheMisses: Tally;
  private readonly statements: BucketCounts;
  private readonly groups: BucketCounts;

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const r = this.registry;
    this.requests = tallyHistogram(
      r,
      'gatehouse_http_request_duration_seconds',
      'HTTP requests answered, by route pattern, method and status, and how long each took.',
      REQUEST_SECONDS,
      ['route', 'method', 'status'],
    );
    this.tokens = tallyCounter(r, 'gatehouse_tokens_issued_total', 'Tokens issued, by grant type and client type.', [
      'grant',
      'client_type',
    ]);
    this.revocations = tallyCounter(
      r,
      'gatehouse_revocations_total',
      'Revocations that ended something: one token, or a user\u2019s grant to a client.',
      ['kind'],
    );
    this.signIns = tallyCounter(
      r,
      'gatehouse_sign_ins_total',
      'Sign-in steps, by outcome (success, failure, or throttled: refused by the limit unchecked) and step (password or second_factor).',
      ['outcome', 'step'],
    );
    this.refusals = tallyCounter(r, 'gatehouse_rate_limit_refusals_total', 'Requests refused because a rate limit was full, by limit.', [
      'limit',
    ]);
    const lookups = tallyCounter(
      r,
      'gatehouse_read_cache_lookups_total',
      'Reads of the store\u2019s read cache, by result: hit (answered from memory) or miss.',
      ['result'],
    );
    this.statements = tallyHistogram(
      r,
      'gatehouse_store_statement_duration_seconds',
      'Store statements, from sending to the answer.',
      STATEMENT_SECONDS,
    ).get();
    this.groups = tallyHistogram(r, 'gatehouse_store_commit_group_size', 'Transactions per SQLite commit group.', GROUP_SIZES).get();
    // Known label sets start at zero, so that a rate over them is defined before the first event.
    for (const outcome of SIGN_IN_OUTCOMES) for (const step of SIGN_IN_STEPS) this.signIns.get(outcome, step);
    for (const kind of REVOCATION_KINDS) this.revocations.get(kind);
    for (const limit of LIMIT_NAMES) this.refusals.get(limit);
    this.cacheHits = lookups.get('hit');
    this.cacheMisses = lookups.get('miss');
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ text: string; contentType: string }> {
    return { text: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  /** A request Fastify answered; labelled by its route's pattern (`/oauth/v2/token`), never its URL. */
  readonly fastifyRequest = (request: FastifyRequest, reply: FastifyReply): void => {
    this.request(request.routeOptions.url ?? UNMATCHED, request.method, reply.statusCode, reply.elapsedTime);
  };

  /** A request the read lane answered, under the pattern of the route it answered for. */
  readonly laneRequest = (request: IncomingMessage, route: string, statusCode: number, milliseconds: number): void => {
    this.request(route, request.method!, statusCode, milliseconds);
  };

  private request(route: string, method: string, status: number, milliseconds: number): void {
    this.requests.get(route, method, String(status)).observe(milliseconds / 1000);
  }

  tokenIssued(grant: string, clientType: ClientType): void {
    this.tokens.get(grant, clientType).value++;
  }

  revoked(kind: RevocationKind): void {
    this.revocations.get(kind).value++;
  }

  signIn(outcome: SignInOutcome, step: SignInStep): void {
    this.signIns.get(outcome, step).value++;
  }

  limitRefused(limit: LimitName): void {
    this.refusals.get(limit).value++;
  }

  cacheHit(): void {
    this.cacheHits.value++;
  }

  cacheMiss(): void {
    this.cacheMisses.value++;
  }

  statementFinished(seconds: number): void {
    this.statements.observe(seconds);
  }

  groupCommitted(size: number): void {
    this.groups.observe(size);
  }

  /** Gauges read when scraped: the pool is asked then, not on every query. */
  watchPool(use: () => PoolUse): void {
    const gauge = (name: string, help: string, read: (pool: PoolUse) => number) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        collect() {
          this.set(read(use()));
        },
      });
    gauge('gatehouse_store_pool_connections', 'Open PostgreSQL connections in the pool, idle or busy.', (pool) => pool.total);
    gauge('gatehouse_store_pool_idle_connections', 'Open PostgreSQL connections in the pool with nothing to do.', (pool) => pool.idle);
    gauge('gatehouse_store_pool_waiting_queries', 'Queries waiting for a PostgreSQL connection.', (pool) => pool.waiting);
  }

  /** 1 while the store's cache-invalidation channel is connected (PostgreSQL, several nodes), 0 while it is not. */
  watchInvalidation(connected: () => boolean): void {
    new Gauge({
      name: 'gatehouse_cache_invalidation_connected',
      help: 'Whether the read cache\u2019s invalidation channel is connected (1) or not (0); while not, nothing is cached.',
      registers: [this.registry],
      collect() {
        this.set(connected() ? 1 : 0);
      },
    });
  }
}
