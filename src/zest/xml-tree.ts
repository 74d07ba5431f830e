import { SaxesParser } from 'saxes';
import { ZestError } from './zest-error.js';

/** One element of a parsed document, with where it stands: its path from the root and the line it starts on. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  /** The text directly inside it, trimmed. */
  text: string;
  path: string;
  line: number;
}

/**
 * Parses XML into a tree, refusing anything that could expand or fetch: any `<!DOCTYPE` is an error, so no entity
 * is ever declared, and saxes itself neither reads external resources nor knows entities beyond XML's five (an
 * undeclared `&name;` is an error too). Errors name the element path and line.
 */
export function parseXmlTree(xml: string): XmlNode {
  const parser = new SaxesParser({ position: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  let startLine = 1;
  const where = () => stack.at(-1)?.path ?? '';

  parser.on('error', (err) => {
    // saxes prefixes its messages with "line:column: "; the path and line are added here instead.
    throw new ZestError(`not well-formed XML: ${err.message.replace(/^\d+:\d+: /, '')}`, where(), parser.line);
  });
  parser.on('doctype', () => {
    throw new ZestError('a DOCTYPE is not allowed (no DTDs, no entity declarations)', where(), parser.line);
  });
  parser.on('opentagstart', () => {
    startLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    const attributes = tag.attributes as Record<string, string>;
    const label = attributes.name === undefined ? tag.name : `${tag.name}[@name='${attributes.name}']`;
    const node: XmlNode = { name: tag.name, attributes, children: [], text: '', path: `${parent?.path ?? ''}/${label}`, line: startLine };
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (text) => appendText(text));
  parser.on('cdata', (text) => appendText(text));
  parser.on('closetag', () => {
    const node = stack.pop()!;
    node.text = node.text.trim();
  });
  parser.write(xml).close();
  if (!root) throw new ZestError('the document has no root element', '', parser.line);
  return root;

  function appendText(text: string): void {
    const node = stack.at(-1);
    if (node) node.text += text;
  }
}
