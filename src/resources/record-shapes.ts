import type { ModuleRecord } from './record-repository.js';
import { oncePerRememberedRow } from './once-per-row.js';
import type { RecordFailure } from './validate-record.js';

/** Zoho writes times with an offset and no milliseconds: `2025-01-01T10:00:00+00:00`. */
export function zohoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export interface Actor {
  id: string;
  name: string;
}

/** A record as the API returns it: its fields, `id`, owner and times; `fields` narrows it (CRM's `fields` param). */
export function apiRecord(record: ModuleRecord, fields?: readonly string[]): Record<string, unknown> {
  const system: Record<string, unknown> = {
    Owner: { id: record.ownerZuid },
    Created_Time: zohoTime(record.createdAt),
    Modified_Time: zohoTime(record.modifiedAt),
  };
  if (!fields) return { ...record.data, ...system, id: record.id };
  const out: Record<string, unknown> = {};
  for (const field of fields) out[field] = field in system ? system[field] : (record.data[field] ?? null);
  out.id = record.id;
  return out;
}

/**
 * The JSON answer to `GET /{module}/{id}`, built once per version of a remembered record rather than on every read (the
 * date formatting and serialising were a tenth of a protected read).
 */
export const singleRecordBody = oncePerRememberedRow((record: ModuleRecord): string => JSON.stringify({ data: [apiRecord(record)] }));

export type WriteResult = { ok: true; item: Record<string, unknown> } | { ok: false; item: Record<string, unknown> };

/** One successful record of a write (spec §14.1). */
export function written(record: ModuleRecord, actor: Actor, message: 'record added' | 'record updated'): WriteResult {
  return {
    ok: true,
    item: {
      code: 'SUCCESS',
      details: {
        Modified_Time: zohoTime(record.modifiedAt),
        Modified_By: actor,
        Created_Time: zohoTime(record.createdAt),
        id: record.id,
        Created_By: actor,
      },
      message,
      status: 'success',
    },
  };
}

export function deleted(id: string): WriteResult {
  return { ok: true, item: { code: 'SUCCESS', details: { id }, message: 'record deleted', status: 'success' } };
}

export function failed(failure: RecordFailure): WriteResult {
  return { ok: false, item: { code: failure.code, details: failure.details, message: failure.message, status: 'error' } };
}

export const unknownId = (id: unknown, index: number): WriteResult =>
  failed({
    code: 'INVALID_DATA',
    message: 'the related id given seems to be invalid',
    details: { id, api_name: 'id', json_path: `$.data[${index}].id` },
  });

/** All succeeded: the success status; some did: 207 Multi-Status; none did: 400. */
export function writeStatus(results: readonly WriteResult[], success: 200 | 201): number {
  const ok = results.filter((r) => r.ok).length;
  if (ok === results.length) return success;
  return ok === 0 ? 400 : 207;
}
