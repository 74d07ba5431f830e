import { BenchmarkError } from './benchmark-error.js';

/** One request exactly as autocannon will repeat it, so the by-hand check and the load send the same bytes. */
export interface RequestSpec {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export function formPost(url: string, form: Record<string, string>): RequestSpec {
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  };
}

/** Sends a request once and returns its JSON body; anything but a 2xx stops the benchmark with the server's answer. */
export async function sendExpectingSuccess(what: string, spec: RequestSpec): Promise<Record<string, unknown>> {
  const response = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body ?? null });
  const text = await response.text();
  if (!response.ok) throw new BenchmarkError(`${what}: ${spec.method} ${spec.url} answered ${response.status}: ${clip(text)}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new BenchmarkError(`${what}: ${spec.method} ${spec.url} answered ${response.status} with a body that is not JSON: ${clip(text)}`);
  }
}

export function requireString(body: Record<string, unknown>, field: string, what: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw new BenchmarkError(`${what}: the response has no ${field}: ${clip(JSON.stringify(body))}`);
  return value;
}

const clip = (text: string): string => (text.length > 300 ? `${text.slice(0, 297)}...` : text);
