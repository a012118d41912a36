import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { htmlToText, mediaMarker } from '../plain-text.ts';
import type { GiftError } from '../gift/types.ts';
import { isRecord } from '../../../object-shape.ts';

/**
 * Reading Moodle XML safely with fast-xml-parser: a DOCTYPE (the only way to declare entities,
 * so the only way to an entity-expansion bomb or an external entity) refuses the file before
 * parsing; only XML's five entities and character references are decoded. Text in a Moodle
 * `format="html"` (or auto-format) becomes plain text; `<file>` elements and @@PLUGINFILE@@
 * references refuse the question, since Lectern stores no files.
 */

/** A Moodle XML node as fast-xml-parser gives it: attributes as `@_name`, text as `#text`. */
export type XmlNode = { [key: string]: unknown };

/** The child element `name` of an element (undefined when the element is text only or absent). */
export const child = (node: unknown, name: string): unknown => (isRecord(node) ? node[name] : undefined);

/** The child elements `name` of an element: the parser gives those named in ARRAYS as a list. */
export const children = (node: unknown, name: string): unknown[] => {
  const list = child(node, name);
  return Array.isArray(list) ? list : [];
};

const ARRAYS = new Set(['question', 'answer', 'subquestion', 'tag', 'unit', 'file']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  commentPropName: '#comment',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: { enabled: true, maxEntityCount: 0, maxTotalExpansions: 100_000, maxExpandedLength: 3_000_000 },
  isArray: (name) => ARRAYS.has(name),
});

const lineAt = (text: string, offset: number) => {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
};

/** The line of each `<question` tag, in document order (CDATA and comments skipped). */
function questionLines(text: string): number[] {
  const lines: number[] = [];
  const token = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<question\b/g;
  let line = 1;
  let last = 0;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    if (m[0] !== '<question') continue;
    for (let i = text.indexOf('\n', last); i >= 0 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    last = m.index;
    lines.push(line);
  }
  return lines;
}

/** The file's questions, each with its line, or why the whole file cannot be read. */
export function parseMoodleXml(text: string): { questions: { node: XmlNode; line: number }[] } | { error: GiftError } {
  const doctype = /<!DOCTYPE|<!ENTITY/i.exec(text);
  if (doctype)
    return {
      error: {
        line: lineAt(text, doctype.index),
        message: 'the file declares a DOCTYPE or entities, which Moodle never writes: refused (entities can expand without bound)',
      },
    };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { error: { line: valid.err.line, message: `not well-formed XML: ${valid.err.msg}` } };
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch (err) {
    return { error: { line: 1, message: `the XML cannot be read: ${err instanceof Error ? err.message : String(err)}` } };
  }
  const quiz = child(doc, 'quiz');
  if (!quiz || typeof quiz !== 'object') return { error: { line: 1, message: 'not Moodle XML: the questions must be inside <quiz>' } };
  const lines = questionLines(text);
  // A <question> with neither attributes nor child elements comes out as its text alone.
  const nodes = children(quiz, 'question').map((q): XmlNode => (isRecord(q) ? q : { '#text': q }));
  return { questions: nodes.map((node, i) => ({ node, line: lines[i] ?? 1 })) };
}

/** An element's text (`<x><text>…</text></x>` or `<x>…</x>`). */
export function rawText(node: unknown): string {
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return rawText(node[0]);
  if (!isRecord(node)) return '';
  if ('text' in node) return rawText(node.text);
  return typeof node['#text'] === 'string' ? node['#text'] : '';
}

/** The attribute of an element, or ''. */
export const attr = (node: unknown, name: string): string => (isRecord(node) ? String(node[`@_${name}`] ?? '') : '');

/** A Moodle text element as plain text; `media` says what it held that Lectern cannot keep. */
export function plainOf(node: unknown): { text: string; media: string | null } {
  const raw = rawText(node);
  const marker = mediaMarker(raw);
  if (marker) return { text: '', media: marker };
  const format = attr(node, 'format') || 'html';
  // Plain text is kept as written (only the ends trimmed), so Lectern's own export reads back equal.
  if (format === 'plain_text' || format === 'markdown') return { text: raw.replace(/\r\n?/g, '\n').trim(), media: null };
  const plain = htmlToText(raw);
  return { text: plain.text, media: plain.media.length ? (plain.media.includes('img') ? 'an image' : `a <${plain.media[0]}> element`) : null };
}

/** The name of the first file a question carries anywhere in it, if any. */
export function fileIn(node: unknown): string | null {
  if (!node || typeof node !== 'object') return null;
  if (Array.isArray(node)) {
    for (const n of node) {
      const f = fileIn(n);
      if (f) return f;
    }
    return null;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'file') return attr(Array.isArray(value) ? value[0] : undefined, 'name') || 'a file';
    const f = fileIn(value);
    if (f) return f;
  }
  return null;
}

/** Text as XML character data. */
export const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
