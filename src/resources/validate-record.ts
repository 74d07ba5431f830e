import type { FieldDefinition, ModuleDefinition } from './modules.js';

export interface RecordFailure {
  code: 'MANDATORY_NOT_FOUND' | 'INVALID_DATA';
  message: string;
  details: Record<string, unknown>;
}

export type RecordValidation = { ok: true; data: Record<string, unknown> } | { ok: false; failure: RecordFailure };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks one record of a write against its module (Zoho's per-record errors, spec §14.1): unknown fields and values
 * of the wrong type are INVALID_DATA, a missing mandatory field on create (or one emptied on update) is
 * MANDATORY_NOT_FOUND. Returns the field values to store; `id` is not one of them.
 */
export function validateRecord(input: unknown, module: ModuleDefinition, mode: 'create' | 'update', index: number): RecordValidation {
  const path = (field: string) => `$.data[${index}].${field}`;
  const invalid = (details: Record<string, unknown>, message = 'invalid data'): RecordValidation => ({
    ok: false,
    failure: { code: 'INVALID_DATA', message, details },
  });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return invalid({ expected_data_type: 'jsonobject', json_path: `$.data[${index}]` });

  const data: Record<string, unknown> = {};
  const fields = new Map(module.fields.map((f) => [f.apiName, f]));
  for (const [name, value] of Object.entries(input)) {
    if (name === 'id') continue;
    const field = fields.get(name);
    if (!field) return invalid({ api_name: name, json_path: path(name) }, `the field ${name} is not in ${module.plural}`);
    if (value === null || value === '') {
      if (field.mandatory) return missing(field, path(name));
      data[name] = null;
      continue;
    }
    const problem = checkValue(field, value);
    if (problem) return invalid({ api_name: name, json_path: path(name), expected_data_type: field.dataType }, problem);
    data[name] = value;
  }
  if (mode === 'create') {
    for (const field of module.fields)
      if (field.mandatory && (data[field.apiName] === undefined || data[field.apiName] === null))
        return missing(field, path(field.apiName));
  }
  return { ok: true, data };
}

function missing(field: FieldDefinition, jsonPath: string): RecordValidation {
  return {
    ok: false,
    failure: {
      code: 'MANDATORY_NOT_FOUND',
      message: 'required field not found',
      details: { api_name: field.apiName, json_path: jsonPath },
    },
  };
}

/** Why a value does not fit its field, or undefined when it does. */
function checkValue(field: FieldDefinition, value: unknown): string | undefined {
  switch (field.jsonType) {
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : `${field.apiName} must be a number`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${field.apiName} must be a whole number`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field.apiName} must be true or false`;
    case 'string':
      break;
  }
  if (typeof value !== 'string') return `${field.apiName} must be a string`;
  if (field.maxLength !== undefined && value.length > field.maxLength)
    return `${field.apiName} is longer than ${field.maxLength} characters`;
  if (field.dataType === 'email' && !EMAIL.test(value)) return `${field.apiName} is not an email address`;
  if (field.dataType === 'date' && (!DATE.test(value) || Number.isNaN(Date.parse(value))))
    return `${field.apiName} must be a date, YYYY-MM-DD`;
  if (field.values && !field.values.includes(value)) return `${field.apiName} must be one of: ${field.values.join(', ')}`;
  return undefined;
}
