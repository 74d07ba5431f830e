import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TokenInfo } from '@gatehouse/resource-server';
import { ApiError } from '../api-error.js';
import type { ModuleDefinition } from '../modules.js';
import { writeItems, type RecordApi } from '../record-api.js';
import type { DuplicateCheck, ModuleRecord } from '../record-repository.js';
import { failed, written, writeStatus, type Actor, type WriteResult } from '../record-shapes.js';
import { validateRecord, type RecordFailure } from '../validate-record.js';

/**
 * `POST /{module}/upsert`: each record updates the owner's record that has the same value in the first of the
 * `duplicate_check_fields` (default: the module's own, `ModuleDefinition.duplicateCheckFields`) that finds one, or is
 * added. Items say which: `"action":"insert"|"update"` and the `duplicate_field` that matched. The store makes each
 * item's find-then-write atomic, so parallel upserts of one key add one record. Scopes as for create (Zoho: ALL,
 * WRITE or CREATE).
 */
export async function upsertRecords(ctx: RecordApi, request: FastifyRequest, reply: FastifyReply, module: ModuleDefinition) {
  const token = await ctx.authorize(request, module, 'CREATE');
  const items = writeItems(request.body);
  const checkFields = duplicateCheckFields(module, (request.body as { duplicate_check_fields?: unknown }).duplicate_check_fields);
  const actor = await ctx.actorOf(token);
  const results: WriteResult[] = [];
  for (const [index, item] of items.entries()) results.push(await upsertOne(ctx, module, token, actor, checkFields, item, index));
  return reply.code(writeStatus(results, 200)).send({ data: results.map((r) => r.item) });
}

async function upsertOne(
  ctx: RecordApi,
  module: ModuleDefinition,
  token: TokenInfo,
  actor: Actor,
  checkFields: readonly DuplicateCheckField[],
  item: unknown,
  index: number,
): Promise<WriteResult> {
  const checked = validateRecord(item, module, 'update', index);
  if (!checked.ok) return failed(checked.failure);
  const data = checked.data;
  const checks: DuplicateCheck[] = checkFields.flatMap(({ field, as }) => {
    const value = data[field];
    return typeof value === 'string' || typeof value === 'number' ? [{ field, as, value }] : [];
  });
  let refusal: RecordFailure | undefined;
  const outcome = await ctx.deps.records.upsert(token.subject, ctx.key(module), checks, (existing): ModuleRecord | undefined => {
    if (existing) return { ...existing, data: { ...existing.data, ...data }, modifiedAt: ctx.deps.now() };
    // Nothing to update: the item must stand as a new record (its mandatory fields given).
    const creatable = validateRecord(item, module, 'create', index);
    if (!creatable.ok) {
      refusal = creatable.failure;
      return undefined;
    }
    return ctx.newRecord(module, token.subject, creatable.data);
  });
  if (!outcome) return failed(refusal!);
  const result = written(outcome.record, actor, outcome.action === 'insert' ? 'record added' : 'record updated');
  return { ...result, item: { ...result.item, action: outcome.action, duplicate_field: outcome.duplicateField } };
}

interface DuplicateCheckField {
  field: string;
  as: DuplicateCheck['as'];
}

function duplicateCheckFields(module: ModuleDefinition, given: unknown): DuplicateCheckField[] {
  const invalid = (message: string) => new ApiError(400, 'INVALID_DATA', message, { api_name: 'duplicate_check_fields' });
  const names = given ?? module.duplicateCheckFields;
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
    throw invalid('duplicate_check_fields must be an array of field API names');
  if (names.length === 0)
    throw new ApiError(400, 'MANDATORY_NOT_FOUND', 'required field not found', { api_name: 'duplicate_check_fields' });
  if (names.length > 10) throw invalid('at most 10 duplicate_check_fields');
  return (names as string[]).map((name) => {
    const field = module.fields.find((f) => f.apiName === name);
    if (!field || field.jsonType === 'boolean') throw invalid(`${name} cannot be a duplicate check field of ${module.plural}`);
    return { field: name, as: field.jsonType === 'string' ? 'text' : 'number' };
  });
}
