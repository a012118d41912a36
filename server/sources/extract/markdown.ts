import MarkdownIt from 'markdown-it';
import type { Block, ReadDocument } from './blocks.ts';
import { HEADING_ID } from './text.ts';

const md = new MarkdownIt({ html: false, linkify: false });
type Token = ReturnType<typeof md.parse>[number];
const FOOTNOTE_DEF = /^\[\^([^\]\s]+)\]:[ \t]*(.*(?:\n(?: {2,}|\t).*)*)/gm;
const FOOTNOTE_REF = /\[\^[^\]\s]+\]/g;

/**
 * Reads Markdown with markdown-it: headings start sections ("## Title {#slug}" names the slug),
 * paragraphs, list items, quotes and code blocks are passages; footnotes ("[^1]: ...") become
 * notes and their markers leave the text. Inline markup is dropped: passages are plain text.
 */
export function readMarkdown(raw: string): ReadDocument {
  const notes: Block[] = [];
  const body = raw.replace(/\r\n?/g, '\n').replace(FOOTNOTE_DEF, (_all, label: string, text: string) => {
    notes.push({ kind: 'note', label, text: `${label} ${text.replace(/\n\s+/g, '\n')}` });
    return '';
  });
  const tokens = md.parse(body, {});
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const t = tokens[i]!;
    const inline = tokens[i + 1];
    if (t.type === 'heading_open' && inline?.type === 'inline') {
      const id = HEADING_ID.exec(inline.content)?.[1];
      blocks.push({ kind: 'heading', level: Number(t.tag.slice(1)), text: plain(inline).replace(HEADING_ID, ''), ...(id ? { id } : {}) });
    } else if (t.type === 'paragraph_open' && inline?.type === 'inline') {
      blocks.push({ kind: 'paragraph', text: plain(inline).replace(FOOTNOTE_REF, '') });
    } else if (t.type === 'fence' || t.type === 'code_block') {
      blocks.push({ kind: 'paragraph', text: t.content.replace(/\n+$/, '') });
    }
  }
  blocks.push(...notes);
  return { blocks, guesses: [] };
}

/** The text of an inline token with markup dropped and soft line breaks kept as newlines. */
function plain(inline: Token): string {
  return (inline.children ?? [])
    .map((c) =>
      c.type === 'text' || c.type === 'code_inline' ? c.content : c.type === 'softbreak' || c.type === 'hardbreak' ? '\n' : c.type === 'image' ? c.content : '',
    )
    .join('');
}
