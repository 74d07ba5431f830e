import { ManagementError } from '../core/errors/management-error.js';
import { CRM_MODULES, FSM_MODULES, recordModuleKey, type ModuleDefinition } from '../resources/modules.js';
import type { ModuleRecord } from '../resources/record-repository.js';
import { validateRecord } from '../resources/validate-record.js';
import type { SeedRecord } from './seed-file.js';
import { entriesOf, type SeedPlan } from './seed-plan.js';

const MODULES = new Map<string, ModuleDefinition>([...CRM_MODULES, ...FSM_MODULES].map((m) => [recordModuleKey(m), m]));

/**
 * Sample-API records under the IDs the file gives them, which are what make a re-run find them again. A record is
 * checked as the API checks a created one (its module's fields and mandatory ones) and its data replaced as a whole.
 */
export async function planRecords(entries: ReadonlyArray<SeedRecord | undefined>, plan: SeedPlan): Promise<void> {
  for (const { entry, path } of entriesOf('records', entries, { field: 'id', of: (r) => r.id }, plan)) {
    const ownerZuid = await plan.userZuid(entry.owner, `${path}.owner`);
    const module = MODULES.get(entry.module);
    if (!module) plan.problem(`${path}.module`, `must be one of ${[...MODULES.keys()].join(', ')}`);
    const data = module && fieldsOf(entry, module, path, plan);
    if (ownerZuid === undefined || !data) continue;

    const existing = await plan.records.get(ownerZuid, entry.module, entry.id);
    if (existing && canonical(existing.data) === canonical(data)) {
      plan.add({ kind: 'records', outcome: 'unchanged' });
      continue;
    }
    const { now } = plan.gatehouse;
    const record: ModuleRecord = { id: entry.id, module: entry.module, ownerZuid, data, createdAt: now(), modifiedAt: now() };
    plan.add({
      kind: 'records',
      outcome: existing ? 'updated' : 'created',
      async writeRecord(records) {
        try {
          if (existing) await records.update(ownerZuid, entry.module, entry.id, data, now());
          else await records.create(record);
        } catch (err) {
          // Only the store can tell that another user's or module's record holds the ID (records are looked up per owner).
          throw new ManagementError(
            'seed.record_failed',
            `${path}: the record could not be written (${(err as Error).message}). The users, clients, tokens and consents ` +
              'were applied, and the records before this one; fix the cause and run the file again.',
            409,
            path,
          );
        }
      },
    });
  }
}

/** The record's field values as its module accepts them; problems name the field under `fields`. */
function fieldsOf(entry: SeedRecord, module: ModuleDefinition, path: string, plan: SeedPlan): Record<string, unknown> | undefined {
  if ('id' in entry.fields) {
    plan.problem(`${path}.fields.id`, 'must not be given: the record ID is the entry\'s "id"');
    return undefined;
  }
  const result = validateRecord(entry.fields, module, 'create', 0);
  if (result.ok) return result.data;
  const jsonPath = String(result.failure.details.json_path ?? '$.data[0]');
  plan.problem(jsonPath.replace('$.data[0]', `${path}.fields`), result.failure.message);
  return undefined;
}

/** JSON with keys in order, so field values compare whatever order the file or the store lists them in. */
function canonical(data: Record<string, unknown>): string {
  return JSON.stringify(
    Object.keys(data)
      .sort()
      .map((k) => [k, data[k]]),
  );
}
