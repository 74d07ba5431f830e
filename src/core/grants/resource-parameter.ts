import type { ParameterDefinition } from '../params/definitions.js';

/** RFC 8707 §2: the token request's `resource`, as the grants that take it document it. */
export const RESOURCE_PARAMETER: ParameterDefinition = {
  name: 'resource',
  required: false,
  description:
    'RFC 8707: a resource (absolute URI) the access token is for; may be repeated. Restricts the token to those audiences; they must have been granted.',
};
