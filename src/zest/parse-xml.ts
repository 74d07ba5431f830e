import {
  ARGUMENT_LOCATIONS,
  AUTHENTICATION_LOCATIONS,
  STAGES,
  VISIBILITIES,
  type ZestArgument,
  type ZestAuthentication,
  type ZestContent,
  type ZestOAuth2,
  type ZestOperation,
  type ZestProperty,
  type ZestResponse,
  type ZestSchema,
  type ZestStage,
} from './model.js';
import { parseXmlTree, type XmlNode } from './xml-tree.js';
import { ZestError } from './zest-error.js';

export interface ParseOptions {
  /**
   * Let the four stage URLs name different origins. Refused by default: a document that sends the code, the client
   * secret or the refresh token to another host than the one that signed the user in is more likely a trap than a
   * deployment.
   */
  allowMixedOrigins?: boolean;
}

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/**
 * Reads every `<oauth2>` element of a ZEST document into the model: a whole `<resource>`, an `<authentication-schema>`,
 * or a bare `<oauth2>` as in Zoho's example. Elements the model does not cover (`<token>`, `<request-body>`, ...) are
 * passed over; a missing required element or attribute, or a value outside ZEST's sets, is a ZestError naming the
 * element path and line.
 */
export function parseZestSchema(xml: string, options: ParseOptions = {}): ZestSchema {
  const root = parseXmlTree(xml);
  const oauth2 = findAll(root, 'oauth2').map((node) => readOAuth2(node, options));
  if (oauth2.length === 0) throw new ZestError('the document has no <oauth2> element', root.path, root.line);
  return { oauth2 };
}

function findAll(node: XmlNode, name: string): XmlNode[] {
  return node.name === name ? [node] : node.children.flatMap((child) => findAll(child, name));
}

function readOAuth2(node: XmlNode, options: ParseOptions): ZestOAuth2 {
  const stages: Partial<Record<(typeof STAGES)[number]['key'], ZestStage>> = {};
  const stageNodes: XmlNode[] = [];
  for (const { element, key, required } of STAGES) {
    const stageNode = required ? only(node, element) : optional(node, element);
    if (!stageNode) continue;
    stageNodes.push(stageNode);
    stages[key] = readStage(stageNode);
  }
  if (!options.allowMixedOrigins) checkOneOrigin(stageNodes);
  return {
    name: attribute(node, 'name'),
    visibility: oneOf(node, 'visibility', VISIBILITIES, 'public'),
    ...description(node),
    authorizationUrl: stages.authorizationUrl!,
    tokenUrl: stages.tokenUrl!,
    refreshUrl: stages.refreshUrl!,
    ...(stages.authenticationUrl ? { authenticationUrl: stages.authenticationUrl } : {}),
  };
}

function checkOneOrigin(stageNodes: readonly XmlNode[]): void {
  const [first, ...rest] = stageNodes;
  const origin = new URL(first!.attributes.path!).origin;
  for (const node of rest) {
    const other = new URL(node.attributes.path!).origin;
    if (other !== origin) {
      throw fail(
        node,
        `points at ${other}, but <${first!.name}> at ${origin}; stages on different origins are refused unless allowed (--allow-mixed-origins)`,
      );
    }
  }
}

function readStage(node: XmlNode): ZestStage {
  const path = attribute(node, 'path');
  let url: URL | undefined;
  try {
    url = new URL(path);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw fail(node, `path must be an absolute http(s) URL, got "${path}"`);
  return { path, operation: readOperation(only(node, 'operation')) };
}

function readOperation(node: XmlNode): ZestOperation {
  const method = attribute(node, 'method').toLowerCase();
  if (!HTTP_METHODS.includes(method)) throw fail(node, `unknown method "${method}"; expected one of ${HTTP_METHODS.join(', ')}`);
  const category = node.attributes.category;
  const authentication = optional(node, 'authentication');
  return {
    method,
    name: attribute(node, 'name'),
    ...(category === undefined ? {} : { category }),
    ...description(node),
    arguments: children(node, 'argument').map(readArgument),
    responses: children(node, 'response').map(readResponse),
    ...(authentication ? { authentication: readAuthentication(authentication) } : {}),
  };
}

function readArgument(node: XmlNode): ZestArgument {
  const delimiter = node.attributes.delimiter;
  return {
    name: attribute(node, 'name'),
    location: oneOf(node, 'location', ARGUMENT_LOCATIONS),
    required: oneOf(node, 'required', ['true', 'false'], 'false') === 'true',
    ...(delimiter === undefined ? {} : { delimiter }),
    ...description(node),
    content: readContent(only(node, 'content')),
  };
}

function readResponse(node: XmlNode): ZestResponse {
  const content = optional(node, 'content');
  return { status: attribute(node, 'status'), ...(content ? { content: readContent(content) } : {}) };
}

function readContent(node: XmlNode): ZestContent {
  const structure = only(node, 'structure');
  const name = structure.attributes.name;
  return {
    encode: attribute(only(node, 'encode'), 'type'),
    structure: { ...(name === undefined ? {} : { name }), properties: children(structure, 'property').map(readProperty) },
  };
}

function readProperty(node: XmlNode): ZestProperty {
  const { name, values } = node.attributes;
  return {
    ...(name === undefined ? {} : { name }),
    type: attribute(node, 'type'),
    ...(values === undefined ? {} : { values: csv(values) }),
    ...description(node),
  };
}

function readAuthentication(node: XmlNode): ZestAuthentication {
  const schema = node.attributes.schema;
  return {
    type: attribute(node, 'type'),
    name: attribute(node, 'name'),
    location: oneOf(node, 'location', AUTHENTICATION_LOCATIONS),
    ...(schema === undefined ? {} : { schema }),
    scopes: csv(node.attributes.scopes ?? ''),
  };
}

function description(node: XmlNode): { description?: string } {
  const text = optional(node, 'description')?.text;
  return text === undefined ? {} : { description: text };
}

function csv(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function attribute(node: XmlNode, name: string): string {
  const value = node.attributes[name]?.trim();
  if (value === undefined || value === '') throw fail(node, `the ${name} attribute is required`);
  return value;
}

function oneOf<T extends string>(node: XmlNode, name: string, allowed: readonly T[], fallback?: T): T {
  const value = node.attributes[name] ?? fallback;
  if (value === undefined) throw fail(node, `the ${name} attribute is required`);
  if (!(allowed as readonly string[]).includes(value)) {
    throw fail(node, `unknown ${name} "${value}"; expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function children(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((child) => child.name === name);
}

function optional(node: XmlNode, name: string): XmlNode | undefined {
  const found = children(node, name);
  if (found.length > 1) throw fail(found[1]!, `<${node.name}> may have only one <${name}>`);
  return found[0];
}

function only(node: XmlNode, name: string): XmlNode {
  const found = optional(node, name);
  if (!found) throw fail(node, `a <${name}> element is required here`);
  return found;
}

function fail(node: XmlNode, problem: string): ZestError {
  return new ZestError(problem, node.path, node.line);
}
