import { invalidRequest } from '../errors/oauth-error.js';

/**
 * The parameters of one OAuth request, gathered from every place they may arrive (query string, form or multipart
 * body; spec decision 5). RFC 6749 §3.2 and §3.1: "Request and response parameters MUST NOT be included more than
 * once" and "Parameters sent without a value MUST be treated as if they were omitted".
 */
export class RequestParams {
  private constructor(private readonly values: ReadonlyMap<string, string>) {}

  /**
   * Merges parameter sources; a name seen twice anywhere, a value over `maxLength`, or one holding a NUL character
   * (no parameter has a use for one, and PostgreSQL cannot store it in text) is `invalid_request`.
   */
  static from(sources: Iterable<Iterable<readonly [string, string]>>, maxLength: number): RequestParams {
    const values = new Map<string, string>();
    for (const source of sources) {
      for (const [name, value] of source) {
        if (values.has(name)) throw invalidRequest('duplicate_parameter', `The parameter ${name} was given more than once.`);
        if (value.length > maxLength) {
          throw invalidRequest('invalid_parameter', `The parameter ${name} is longer than ${maxLength} characters.`);
        }
        if (value.includes('\u0000')) throw invalidRequest('invalid_parameter', `The parameter ${name} contains a NUL character.`);
        values.set(name, value);
      }
    }
    return new RequestParams(values);
  }

  static of(record: Record<string, string>): RequestParams {
    return new RequestParams(new Map(Object.entries(record)));
  }

  /** Every parameter as given, empty ones included, in arrival order. */
  entries(): IterableIterator<[string, string]> {
    return this.values.entries();
  }

  /** The value, or undefined when absent or empty. */
  get(name: string): string | undefined {
    const value = this.values.get(name);
    return value === undefined || value === '' ? undefined : value;
  }

  require(name: string): string {
    const value = this.get(name);
    if (value === undefined) throw invalidRequest('missing_parameter', `The parameter ${name} is required.`);
    return value;
  }
}
