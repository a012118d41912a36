import { getDocumentProxy } from 'unpdf';
import type { Block, ProgressFn, ReadDocument } from './blocks.ts';
import { REFUSALS, SourceFileError } from './errors.ts';
import { isRecord } from '../../object-shape.ts';

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  size: number;
}
interface Line {
  text: string;
  x: number;
  y: number;
  size: number;
  page: number;
}

/** A line's items joined in reading order; a raised, smaller number is a footnote marker and goes. */
function buildLine(items: Item[], counts: { markers: number }): Omit<Line, 'page'> {
  items.sort((a, b) => a.x - b.x);
  const size = Math.max(...items.map((i) => (i.str.trim() ? i.size : 0)));
  const base = Math.min(...items.filter((i) => i.size >= size * 0.9).map((i) => i.y));
  let text = '';
  let end = -Infinity;
  for (const it of items) {
    const raised = it.size < size * 0.8 && it.y > base + size * 0.15;
    if (raised && /^\s*(?:\d{1,3}|[*†‡§])\s*$/.test(it.str)) {
      counts.markers += 1;
      end = it.x + it.width;
      continue;
    }
    if (text && it.x - end > size * 0.15 && !/\s$/.test(text) && !/^\s/.test(it.str)) text += ' ';
    text += it.str;
    end = it.x + it.width;
  }
  return { text: text.replace(/\s+/g, ' ').trim(), x: items[0]!.x, y: base, size };
}

/** Groups a page's text items into lines by baseline, top to bottom. */
function pageLines(items: Item[], page: number, counts: { markers: number }): Line[] {
  const rows: Item[][] = [];
  for (const it of [...items].sort((a, b) => b.y - a.y || a.x - b.x)) {
    // A superscript sits a little above its line: same row when within most of a line height.
    const row = rows.find((r) => Math.abs(r[0]!.y - it.y) < Math.max(r[0]!.size, it.size) * 0.6);
    if (row) row.push(it);
    else rows.push([it]);
  }
  return rows
    .map((r) => ({ ...buildLine(r, counts), page }))
    .filter((l) => l.text)
    .sort((a, b) => b.y - a.y);
}

const pageNumberOnly = /^(?:page\s+)?\d{1,4}(?:\s*(?:of|\/)\s*\d{1,4})?$/i;
const shapeOf = (t: string) => t.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');

/**
 * Running headers and footers: lines near the top or bottom of a page whose shape (digits
 * ignored) recurs on at least half the pages (and three), or bare page numbers.
 */
function dropRunningLines(pages: Line[][]): { pages: Line[][]; dropped: number } {
  const edge = (lines: Line[]) => [...lines.slice(0, 2), ...lines.slice(-2)];
  const seen = new Map<string, number>();
  for (const lines of pages) for (const shape of new Set(edge(lines).map((l) => shapeOf(l.text)))) seen.set(shape, (seen.get(shape) ?? 0) + 1);
  const needed = Math.max(3, Math.ceil(pages.length / 2));
  let dropped = 0;
  const kept = pages.map((lines) => {
    const edges = new Set(edge(lines));
    return lines.filter((l) => {
      const running = edges.has(l) && (pageNumberOnly.test(l.text) || (seen.get(shapeOf(l.text)) ?? 0) >= needed);
      if (running) dropped += 1;
      return !running;
    });
  });
  return { pages: kept, dropped };
}

/** The most common font size, weighted by characters: the body text's size. */
function bodySize(lines: Line[]): number {
  const weight = new Map<number, number>();
  for (const l of lines) weight.set(Math.round(l.size * 2) / 2, (weight.get(Math.round(l.size * 2) / 2) ?? 0) + l.text.length);
  return [...weight.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 12;
}

/** pdf.js types an outline's entries loosely (`items: any[]`): each is read as a title and its entries. */
function outlineTitles(nodes: unknown, depth = 1, out = new Map<string, number>()): Map<string, number> {
  if (!Array.isArray(nodes)) return out;
  for (const n of nodes) {
    if (!isRecord(n) || typeof n.title !== 'string') continue;
    out.set(n.title.replace(/\s+/g, ' ').trim().toLowerCase(), depth);
    outlineTitles(n.items, depth + 1, out);
  }
  return out;
}

/**
 * Reads a PDF's text layer with pdf.js (through unpdf). Sections come from the outline when the
 * PDF has one, else from lines set larger than the body text; paragraphs end at a wider gap
 * between lines or an indent; small numbered lines at a page's foot are footnotes.
 */
export async function readPdf(bytes: Uint8Array, limits: { maxPages: number }, progress?: ProgressFn): Promise<ReadDocument> {
  if (!Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-')) throw new SourceFileError(REFUSALS.notPdf);
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  } catch (err) {
    if (isRecord(err) && err.name === 'PasswordException') throw new SourceFileError(REFUSALS.encrypted);
    throw new SourceFileError(REFUSALS.unreadablePdf);
  }
  try {
    if (pdf.numPages > limits.maxPages)
      throw new SourceFileError(`This PDF has ${pdf.numPages} pages; Lectern takes at most ${limits.maxPages}. Split it, or upload the part you teach from.`);
    const counts = { markers: 0 };
    const pages: Line[][] = [];
    for (let n = 1; n <= pdf.numPages; n += 1) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items: Item[] = [];
      for (const raw of content.items) {
        if (!('str' in raw) || !raw.str) continue;
        const t = raw.transform.map(Number);
        items.push({ str: raw.str, x: t[4]!, y: t[5]!, width: raw.width, size: Math.hypot(t[2]!, t[3]!) || raw.height });
      }
      pages.push(pageLines(items, n, counts));
      page.cleanup();
      progress?.(n, pdf.numPages);
    }
    if (!pages.some((p) => p.some((l) => /\p{L}{2}/u.test(l.text)))) throw new SourceFileError(REFUSALS.noText);
    // The outline and the title are extras: a damaged one costs headings or a title, not the text,
    // and the preview says so rather than refusing a readable PDF.
    const unread: string[] = [];
    const outlineItems = await readExtra(() => pdf.getOutline(), 'outline', unread);
    const outline = outlineTitles(outlineItems ?? []);
    const info: unknown = (await readExtra(() => pdf.getMetadata(), 'title', unread))?.info;
    const title = isRecord(info) && typeof info.Title === 'string' ? info.Title.trim() : '';
    const { pages: body, dropped } = dropRunningLines(pages);
    const doc = linesToBlocks(body, outline);
    for (const what of unread) doc.guesses.push(`Could not read the PDF's ${what}; went on without it.`);
    if (dropped) doc.guesses.push(`Left out ${dropped} running header, footer or page-number line${dropped === 1 ? '' : 's'}.`);
    if (counts.markers) doc.guesses.push(`Took ${counts.markers} footnote marker${counts.markers === 1 ? '' : 's'} out of the text.`);
    return { ...doc, pages: pdf.numPages, ...(title ? { title } : {}) };
  } finally {
    await pdf.destroy();
  }
}

/** An optional part of a PDF (outline, metadata): its value, or null with `what` noted in `unread`. */
async function readExtra<T>(read: () => Promise<T>, what: string, unread: string[]): Promise<T | null> {
  try {
    return await read();
  } catch {
    unread.push(what);
    return null;
  }
}

/** Lines of all pages to headings, paragraphs and notes. */
function linesToBlocks(pages: Line[][], outline: Map<string, number>): ReadDocument {
  const all = pages.flat();
  const body = bodySize(all);
  const sizes = [...new Set(all.filter((l) => l.size >= body * 1.2).map((l) => Math.round(l.size)))].sort((a, b) => b - a);
  const gaps = pages.flatMap((p) => p.slice(1).map((l, i) => p[i]!.y - l.y)).filter((g) => g > 0);
  // The lower quartile: most gaps are between lines of one paragraph, the rest are breaks.
  const spacing = gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 4)] ?? body * 1.2;
  const left = Math.min(...all.filter((l) => Math.abs(l.size - body) < 0.5).map((l) => l.x));
  const blocks: Block[] = [];
  let para: string[] = [];
  let byFont = 0;
  let byOutline = 0;
  const flush = () => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join('\n') });
    para = [];
  };
  for (const lines of pages) {
    let prev: Line | undefined;
    let inNote = false;
    for (const l of lines) {
      const fromOutline = outline.get(l.text.toLowerCase());
      const big = !outline.size && l.size >= body * 1.2 && l.text.length <= 120;
      if (fromOutline || big) {
        flush();
        const last = blocks[blocks.length - 1];
        if (big && last?.kind === 'heading' && prev && Math.abs(prev.size - l.size) < 0.5) last.text += ` ${l.text}`;
        else {
          blocks.push({ kind: 'heading', text: l.text, level: fromOutline ?? sizes.indexOf(Math.round(l.size)) + 1 });
          if (fromOutline) byOutline += 1;
          else byFont += 1;
        }
        prev = l;
        inNote = false;
        continue;
      }
      const small = l.size < body * 0.9;
      if (small && /^\d{1,3}\s+\S/.test(l.text)) {
        flush();
        blocks.push({ kind: 'note', text: l.text });
        inNote = true;
      } else if (inNote && small) {
        const note = blocks[blocks.length - 1]!;
        note.text += `\n${l.text}`;
      } else {
        inNote = false;
        const gap = prev ? prev.y - l.y : 0;
        const indented = l.x > left + body;
        if (prev && (gap > spacing * 1.4 || indented)) flush();
        para.push(l.text);
      }
      prev = l;
    }
    // A paragraph runs on to the next page unless its last line ends a sentence.
    if (para.length && /[.!?"”’:]$/.test(para[para.length - 1]!)) flush();
  }
  flush();
  const guesses: string[] = [];
  if (byOutline) guesses.push(`Took ${byOutline} section heading${byOutline === 1 ? '' : 's'} from the PDF's outline.`);
  if (byFont) guesses.push(`Guessed ${byFont} section heading${byFont === 1 ? '' : 's'} from their larger font size.`);
  return { blocks, guesses };
}
