import type { FastifyRequest } from 'fastify';
import { RequestParams } from '../core/params/request-params.js';
import type { ParamPairs } from './form-body-parsers.js';

/**
 * All parameters of an OAuth request: the query string and the form body together (spec decision 5). The raw query
 * is read here, not Fastify's parsed object, which would fold repeats into arrays.
 */
export function requestParams(request: FastifyRequest, maxParameterLength: number): RequestParams {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  const query = q >= 0 ? new URLSearchParams(url.slice(q + 1)) : [];
  const body = Array.isArray(request.body) ? (request.body as ParamPairs) : [];
  return RequestParams.from([query, body], maxParameterLength);
}
