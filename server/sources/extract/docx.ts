import mammoth from 'mammoth';
import { parseDocument, DomUtils } from 'htmlparser2';
import type { Element } from 'domhandler';
import type { Block, ReadDocument } from './blocks.ts';
import { REFUSALS, SourceFileError } from './errors.ts';

/**
 * Reads a .docx with mammoth, which maps Word's heading styles to h1-h6 and writes footnotes and
 * endnotes as a list after the body. Headings start sections, paragraphs and list items are
 * passages, table rows are one passage each, and notes become passages of their own.
 */
export async function readDocx(bytes: Uint8Array): Promise<ReadDocument> {
  let html: string;
  let messages: Array<{ type: string; message: string }>;
  try {
    ({ value: html, messages } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }));
  } catch {
    throw new SourceFileError(REFUSALS.notDocx);
  }
  const dom = parseDocument(html);
  const blocks: Block[] = [];
  const notes: Block[] = [];
  let markers = 0;
  const textOf = (el: Element) => {
    for (const ref of DomUtils.findAll(
      (e) => e.name === 'sup' && DomUtils.findOne((a) => a.name === 'a' && /^#(?:foot|end)note-/.test(a.attribs.href ?? ''), e.children) !== null,
      el.children,
    )) {
      DomUtils.removeElement(ref);
      markers += 1;
    }
    for (const back of DomUtils.findAll((e) => e.name === 'a' && /^#(?:foot|end)note-ref-/.test(e.attribs.href ?? ''), el.children))
      DomUtils.removeElement(back);
    return DomUtils.textContent(el).replace(/\s+/g, ' ').trim();
  };
  for (const el of dom.children.filter((c): c is Element => c.type === 'tag')) {
    const level = /^h([1-6])$/.exec(el.name)?.[1];
    if (level) blocks.push({ kind: 'heading', level: Number(level), text: textOf(el) });
    else if (el.name === 'p') blocks.push({ kind: 'paragraph', text: textOf(el) });
    else if (el.name === 'ol' || el.name === 'ul') {
      for (const li of el.children.filter((c): c is Element => c.type === 'tag' && c.name === 'li')) {
        const note = /^(?:foot|end)note-(\d+)$/.exec(li.attribs.id ?? '');
        if (note) notes.push({ kind: 'note', label: note[1], text: `${note[1]} ${textOf(li)}` });
        else blocks.push({ kind: 'paragraph', text: textOf(li) });
      }
    } else if (el.name === 'table') {
      for (const tr of DomUtils.findAll((e) => e.name === 'tr', el.children)) {
        blocks.push({
          kind: 'paragraph',
          text: DomUtils.findAll((e) => e.name === 'td' || e.name === 'th', tr.children)
            .map(textOf)
            .join(' | '),
        });
      }
    } else blocks.push({ kind: 'paragraph', text: textOf(el) });
  }
  const guesses: string[] = [];
  if (!blocks.some((b) => b.kind === 'heading')) guesses.push('No paragraph uses a Heading style, so there are no sections.');
  if (markers) guesses.push(`Took ${markers} note marker${markers === 1 ? '' : 's'} out of the text.`);
  const unknownStyles = messages.filter((m) => m.type === 'warning' && /Unrecognised paragraph style/.test(m.message)).length;
  if (unknownStyles) guesses.push(`Read ${unknownStyles} paragraph${unknownStyles === 1 ? '' : 's'} in styles we do not know as plain paragraphs.`);
  return { blocks: [...blocks.filter((b) => b.text), ...notes], guesses };
}
