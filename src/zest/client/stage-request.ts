import type { ZestArgument, ZestStage } from '../model.js';
import { ZestClientError } from './client-error.js';

export interface StageRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: URLSearchParams;
}

/**
 * The HTTP request for one stage. Each value goes where the document's argument of that name says: a `param`
 * travels in the query string of a GET and in the form body otherwise (as HTML forms do; Gatehouse and Zoho read
 * both, and a body keeps secrets out of URLs and logs), a `header` as a header, a `variable` into `{name}` in the
 * path. A value the document does not declare goes as a param: documents in the shape of Zoho's example leave out
 * arguments such as client_id, state or code_verifier that the protocol still needs. An argument the document
 * requires that the client has no value for is filled with its one fixed value, or is an error.
 */
export function buildStageRequest(stage: ZestStage, values: Readonly<Record<string, string | undefined>>): StageRequest {
  const { method, arguments: declared } = stage.operation;
  let path = stage.path;
  const params = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const argument of declared) {
    const value = values[argument.name] ?? fixedValue(argument);
    if (value === undefined) {
      if (argument.required) {
        throw new ZestClientError(
          'zest.argument_unknown',
          `${stage.path} requires the argument ${argument.name}, which this client cannot fill in.`,
        );
      }
      continue;
    }
    if (argument.location === 'header') headers[argument.name] = value;
    else if (argument.location === 'variable') path = path.replaceAll(`{${argument.name}}`, encodeURIComponent(value));
    else params.append(argument.name, value);
  }
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && !declared.some((argument) => argument.name === name)) params.append(name, value);
  }

  const url = new URL(path);
  if (method === 'get' || method === 'head' || method === 'delete') {
    for (const [name, value] of params) url.searchParams.append(name, value);
    return { method: method.toUpperCase(), url: url.href, headers };
  }
  return { method: method.toUpperCase(), url: url.href, headers, body: params };
}

/** The value of an argument whose property allows exactly one (`grant_type` with values="refresh_token"). */
function fixedValue(argument: ZestArgument): string | undefined {
  const allowed = argument.content.structure.properties[0]?.values;
  return allowed?.length === 1 ? allowed[0] : undefined;
}

/** Sends the request and reads a JSON answer; an OAuth `error` field fails, whatever the status (Zoho answers 200). */
export async function callStage(stage: ZestStage, request: StageRequest): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      ...(request.body ? { body: request.body } : {}),
    });
  } catch (err) {
    throw new ZestClientError('zest.request_failed', `Could not reach ${stage.path}: ${(err as Error).message}`);
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ZestClientError('zest.request_failed', `${stage.path} answered HTTP ${response.status} without a JSON object.`);
  }
  const fields = body as Record<string, unknown>;
  if (!response.ok || fields.error !== undefined) {
    const why = [fields.error, fields.error_description].filter((v) => typeof v === 'string').join(': ');
    throw new ZestClientError('zest.request_failed', `${stage.path} answered HTTP ${response.status}${why ? ` (${why})` : ''}.`);
  }
  return fields;
}
