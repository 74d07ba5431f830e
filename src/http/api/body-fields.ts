import { ManagementError } from '../../core/errors/management-error.js';

/** Reading a JSON body's fields: the wrong JSON type is `request.invalid` naming the field. */
export type Body = Record<string, unknown>;

export function stringField(body: Body, name: string): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ManagementError('request.invalid', `${name} must be a string.`, 400, name);
  refuseNul(name, value);
  return value;
}

export function booleanField(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new ManagementError('request.invalid', `${name} must be true or false.`, 400, name);
  return value;
}

export function listField(body: Body, name: string): string[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    throw new ManagementError('request.invalid', `${name} must be a list of strings.`, 400, name);
  for (const item of value as string[]) refuseNul(name, item);
  return value as string[];
}

/** No field has a use for a NUL character, and PostgreSQL cannot store one in text. */
function refuseNul(name: string, value: string): void {
  if (value.includes('\u0000')) throw new ManagementError('request.invalid', `${name} must not contain a NUL character.`, 400, name);
}
