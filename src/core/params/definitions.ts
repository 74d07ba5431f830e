import { invalidRequest } from '../errors/oauth-error.js';
import type { RequestParams } from './request-params.js';

/**
 * One parameter an endpoint accepts. The request checks take their allowed values from these definitions and the ZEST
 * export (src/zest/describe-server.ts) documents them from the same ones, so the two cannot drift apart.
 */
export interface ParameterDefinition {
  name: string;
  required: boolean;
  /** The only values accepted; absent when any value of the right shape is. */
  values?: readonly string[];
  /** For a list parameter (scope): what separates its items. */
  delimiter?: string;
  description: string;
}

/** One field of a JSON response, as the endpoint writes it. */
export interface ResponseField {
  type: 'string' | 'integer' | 'long';
  description: string;
  values?: readonly string[];
}

export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/**
 * Enforces what the definitions say: every required parameter is present, and a single-valued one with a fixed set
 * of values has one of them. List parameters (scope) are checked by their own parser, which knows the items.
 */
export function checkParameters(params: RequestParams, definitions: readonly ParameterDefinition[]): void {
  for (const definition of definitions) {
    const value = definition.required ? params.require(definition.name) : params.get(definition.name);
    if (value === undefined || definition.values === undefined || definition.delimiter !== undefined) continue;
    if (!definition.values.includes(value)) {
      throw invalidRequest('invalid_parameter', `${definition.name} must be ${definition.values.join(' or ')}.`);
    }
  }
}
