import type { ZestArgument, ZestAuthentication, ZestContent, ZestOperation, ZestProperty, ZestResponse, ZestSchema } from './model.js';
import { STAGES } from './model.js';

/** An element to write: attributes in order (undefined ones left out), then either children or text. */
interface XmlElement {
  name: string;
  attributes: ReadonlyArray<readonly [string, string | undefined]>;
  children: XmlElement[];
  text?: string;
}

/** The model as a ZEST `<authentication-schema>` document, two-space indented. */
export function writeSchemaXml(schema: ZestSchema): string {
  const root = element('authentication-schema', [], schema.oauth2.map(oauth2Element));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root, '')}`;
}

function oauth2Element(oauth2: ZestSchema['oauth2'][number]): XmlElement {
  const stages = STAGES.flatMap(({ element: name, key }) => {
    const stage = oauth2[key];
    return stage ? [element(name, [['path', stage.path]], [operationElement(stage.operation)])] : [];
  });
  return element(
    'oauth2',
    [
      ['name', oauth2.name],
      ['visibility', oauth2.visibility],
    ],
    [...description(oauth2.description), ...stages],
  );
}

function operationElement(operation: ZestOperation): XmlElement {
  return element(
    'operation',
    [
      ['method', operation.method],
      ['name', operation.name],
      ['category', operation.category],
    ],
    [
      ...description(operation.description),
      ...operation.arguments.map(argumentElement),
      ...operation.responses.map(responseElement),
      ...(operation.authentication ? [authenticationElement(operation.authentication)] : []),
    ],
  );
}

function argumentElement(argument: ZestArgument): XmlElement {
  return element(
    'argument',
    [
      ['name', argument.name],
      ['location', argument.location],
      ['required', argument.required ? 'true' : undefined],
      ['delimiter', argument.delimiter],
    ],
    [...description(argument.description), contentElement(argument.content)],
  );
}

function responseElement(response: ZestResponse): XmlElement {
  return element('response', [['status', response.status]], response.content ? [contentElement(response.content)] : []);
}

function contentElement(content: ZestContent): XmlElement {
  return element(
    'content',
    [],
    [
      element('encode', [['type', content.encode]], []),
      element('structure', [['name', content.structure.name]], content.structure.properties.map(propertyElement)),
    ],
  );
}

function propertyElement(property: ZestProperty): XmlElement {
  return element(
    'property',
    [
      ['name', property.name],
      ['type', property.type],
      ['values', property.values?.join(',')],
    ],
    description(property.description),
  );
}

function authenticationElement(authentication: ZestAuthentication): XmlElement {
  return element(
    'authentication',
    [
      ['location', authentication.location],
      ['type', authentication.type],
      ['name', authentication.name],
      ['schema', authentication.schema],
      ['scopes', authentication.scopes.join(',')],
    ],
    [],
  );
}

function description(text: string | undefined): XmlElement[] {
  return text === undefined ? [] : [{ name: 'description', attributes: [], children: [], text }];
}

function element(name: string, attributes: XmlElement['attributes'], children: XmlElement[]): XmlElement {
  return { name, attributes, children };
}

function serialize(node: XmlElement, indent: string): string {
  const attributes = node.attributes
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeAttribute(value)}"`)
    .join('');
  const open = `${indent}<${node.name}${attributes}`;
  if (node.text !== undefined) return `${open}>${escapeText(node.text)}</${node.name}>\n`;
  if (node.children.length === 0) return `${open}/>\n`;
  return `${open}>\n${node.children.map((child) => serialize(child, `${indent}  `)).join('')}${indent}</${node.name}>\n`;
}

/** Characters XML 1.0 cannot carry at all, not even escaped (§2.2): better to refuse than to write a broken document. */
const NOT_XML_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function escapeText(text: string): string {
  if (NOT_XML_CHARACTER.test(text)) throw new Error(`Cannot write ${JSON.stringify(text)} in XML.`);
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Also white space other than spaces: a parser would fold a raw newline or tab in an attribute into a space (§3.3.3). */
function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
