import { ApiError } from './api-error.js';
import type { FieldDefinition, ModuleDefinition } from './modules.js';
import type { RecordFilter } from './record-repository.js';
import { CriteriaError, parseCriteria, type Criteria } from './search-criteria.js';

/** Zoho's answer to criteria it cannot use: 400 `INVALID_QUERY`, "invalid query formed", with the reason. */
export const invalidQuery = (reason: string, details: Record<string, unknown> = {}) =>
  new ApiError(400, 'INVALID_QUERY', 'invalid query formed', { reason, ...details });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * What `GET /{module}/search` looks for, from its one search parameter: `criteria` (Zoho's grammar, checked against
 * the module's fields), or `email`, `phone` (equal to any field of that type) or `word` (contained in any text field).
 */
export function searchFilter(module: ModuleDefinition, query: Record<string, string | undefined>): RecordFilter {
  const given = (['criteria', 'email', 'phone', 'word'] as const).filter((name) => query[name] !== undefined);
  if (given.length === 0) throw new ApiError(400, 'REQUIRED_PARAM_MISSING', 'required param is missing', { param_name: 'criteria' });
  if (given.length > 1) throw invalidQuery(`give one of criteria, email, phone and word, not ${given.join(' and ')}`);
  const name = given[0]!;
  const value = query[name]!;
  if (value === '') throw invalidQuery(`${name} is empty`, { param_name: name });
  if (name === 'criteria') return criteriaFilter(module, value);
  if (name === 'word') return anyOf(module, name, textFields(module), (f) => ({ kind: 'contains', field: f.apiName, value }));
  return anyOf(
    module,
    name,
    module.fields.filter((f) => f.dataType === name),
    (f) => ({ kind: 'equals', field: f.apiName, as: 'text', values: [value] }),
  );
}

function criteriaFilter(module: ModuleDefinition, text: string): RecordFilter {
  let criteria: Criteria;
  try {
    criteria = parseCriteria(text);
  } catch (err) {
    if (err instanceof CriteriaError) throw invalidQuery(err.message, { position: err.position });
    throw err;
  }
  const fields = new Map(module.fields.map((f) => [f.apiName, f]));
  const compile = (c: Criteria): RecordFilter => {
    if (c.kind !== 'condition') return { kind: c.kind, filters: c.operands.map(compile) };
    const field = fields.get(c.field);
    if (!field) throw invalidQuery(`the field ${c.field} is not in ${module.plural}`, { api_name: c.field });
    const as = field.jsonType === 'string' ? 'text' : 'number';
    const problem = (reason: string) => invalidQuery(reason, { api_name: c.field, operator: c.operator });
    const values = c.values.map((v) => typedValue(field, v, problem));
    switch (c.operator) {
      case 'starts_with':
        if (as !== 'text') throw problem(`starts_with is for text fields; ${c.field} is a ${field.dataType}`);
        return { kind: 'starts_with', field: c.field, value: c.values[0]! };
      case 'between':
        if (as === 'text' && field.dataType !== 'date') throw problem(`between is for numbers and dates; ${c.field} is ${field.dataType}`);
        return { kind: 'between', field: c.field, as, from: values[0]!, to: values[1]! };
      case 'equals':
      case 'in':
        return { kind: c.operator, field: c.field, as, values };
    }
  };
  return compile(criteria);
}

/** A criteria value as the field stores it: numbers for number fields, `YYYY-MM-DD` for dates. */
function typedValue(field: FieldDefinition, value: string, problem: (reason: string) => ApiError): string | number {
  if (field.jsonType === 'boolean') throw problem(`searching by a boolean field is not supported`);
  if (field.jsonType !== 'string') {
    if (!NUMBER.test(value)) throw problem(`${value} is not a number`);
    return Number(value);
  }
  if (field.dataType === 'date' && !DATE.test(value)) throw problem(`${value} is not a date (YYYY-MM-DD)`);
  return value;
}

function textFields(module: ModuleDefinition): FieldDefinition[] {
  return module.fields.filter((f) => f.jsonType === 'string' && f.dataType !== 'date');
}

/** One condition per field, any of them matching. */
function anyOf(
  module: ModuleDefinition,
  param: string,
  fields: readonly FieldDefinition[],
  condition: (field: FieldDefinition) => RecordFilter,
): RecordFilter {
  if (fields.length === 0) throw invalidQuery(`${module.plural} have no field to search by ${param}`, { param_name: param });
  return { kind: 'or', filters: fields.map(condition) };
}
