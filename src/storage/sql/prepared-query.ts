import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './schema.js';

/**
 * A query built and compiled by Kysely once, then run with fresh arguments: the type-checked builder stays the
 * source of truth, without rebuilding and recompiling it on every call of the token endpoint's hot path (about a
 * third of a simple query's cost). The builder is called with unique sentinel arguments; where each lands in the
 * compiled parameters is where that argument is bound later. A builder that transforms an argument, so its sentinel
 * cannot be found, fails at construction, not at run time.
 */
export class PreparedQuery<Args extends unknown[], Row> {
  private readonly compiled: CompiledQuery<Row>;
  private readonly slots: number[][];

  constructor(db: Kysely<Database>, arity: number, build: (db: Kysely<Database>, ...args: Args) => Compilable<Row>) {
    const sentinels = Array.from({ length: arity }, (_, i) => `\u0000prepared-argument-${i}\u0000`);
    this.compiled = build(db, ...(sentinels as Args)).compile();
    this.slots = sentinels.map((sentinel, i) => {
      const at = this.compiled.parameters.flatMap((p, index) => (p === sentinel ? [index] : []));
      if (at.length === 0) throw new Error(`PreparedQuery: argument ${i} does not reach the query's parameters`);
      return at;
    });
  }

  execute(db: Kysely<Database>, ...args: Args): Promise<QueryResult<Row>> {
    const parameters = [...this.compiled.parameters];
    this.slots.forEach((indexes, i) => {
      for (const index of indexes) parameters[index] = args[i];
    });
    return db.executeQuery<Row>({ ...this.compiled, parameters });
  }
}
