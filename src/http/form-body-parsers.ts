import busboy from 'busboy';
import type { FastifyInstance } from 'fastify';
import { invalidRequest, type OAuthError } from '../core/errors/oauth-error.js';

/** The body of an OAuth request as name/value pairs in arrival order, so repeats can be caught. */
export type ParamPairs = Array<[string, string]>;

/**
 * Installs the only body formats the OAuth endpoints and the pages take (spec decision 5): urlencoded and multipart
 * forms. Anything else is `invalid_request`. Registered inside the OAuth and page plugins, so the management API
 * keeps its JSON parser.
 */
export function registerFormBodyParsers(app: FastifyInstance, limits: { bodyLimit: number; maxParameterLength: number }): void {
  app.removeAllContentTypeParsers();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: limits.bodyLimit }, (_req, body, done) => {
    done(null, [...new URLSearchParams(body as string)] satisfies ParamPairs);
  });

  app.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    let settled = false;
    const finish = (err: OAuthError | null, pairs?: ParamPairs) => {
      if (settled) return;
      settled = true;
      if (err) payload.unpipe();
      done(err, pairs);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fields: 64, files: 0, parts: 64, fieldNameSize: 128, fieldSize: limits.maxParameterLength + 1 },
      });
    } catch {
      return finish(invalidRequest('malformed_body', 'The multipart body has no boundary.'));
    }
    const pairs: ParamPairs = [];
    let received = 0;
    payload.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limits.bodyLimit)
        finish(invalidRequest('body_too_large', `The request body is larger than ${limits.bodyLimit} bytes.`));
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        finish(invalidRequest('invalid_parameter', `The parameter ${name} is longer than ${limits.maxParameterLength} characters.`));
      } else pairs.push([name, value]);
    });
    parser.on('file', (_name, stream) => {
      stream.resume();
      finish(invalidRequest('malformed_body', 'File parts are not accepted here.'));
    });
    parser.on('filesLimit', () => finish(invalidRequest('malformed_body', 'File parts are not accepted here.')));
    parser.on('fieldsLimit', () => finish(invalidRequest('malformed_body', 'The body has too many fields.')));
    parser.on('partsLimit', () => finish(invalidRequest('malformed_body', 'The body has too many parts.')));
    parser.on('error', () => finish(invalidRequest('malformed_body', 'The multipart body is malformed.')));
    parser.on('close', () => finish(null, pairs));
    payload.pipe(parser);
  });

  app.addContentTypeParser('*', (request, _payload, done) => {
    const type = String(request.headers['content-type'] ?? '').split(';')[0];
    done(
      invalidRequest(
        'unsupported_content_type',
        `Send parameters as application/x-www-form-urlencoded or multipart/form-data, not ${type}.`,
      ),
      undefined,
    );
  });
}
