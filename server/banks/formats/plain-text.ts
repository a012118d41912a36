import { Parser } from 'htmlparser2';
import { htmlToMarkdown } from '../../formatting/rich-text.ts';

/**
 * HTML from a foreign file (Anki with `#html:true`, Moodle XML's text) as the text Lectern
 * stores: its Markdown subset (emphasis, code, links, lists, breaks) through the sanitiser of
 * formatting/rich-text.ts, every other element and attribute gone, script and style with their
 * content. Images and media are reported, not kept (Lectern stores no files), so the caller can
 * refuse the question with that reason; htmlparser2 finds them before the sanitiser drops them.
 */

const MEDIA = new Set(['img', 'audio', 'video', 'source', 'embed', 'object', 'picture', 'iframe', 'svg']);

export interface PlainText {
  text: string;
  /** Media elements the HTML held (img, audio, …), by tag name. */
  media: string[];
}

/** Collapses spaces within lines, trims each line and drops runs of blank lines. */
export function tidyLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** HTML as Lectern's rich text, and the media it held. */
export function htmlToText(html: string): PlainText {
  const media: string[] = [];
  const parser = new Parser(
    {
      onopentag(name) {
        if (MEDIA.has(name)) media.push(name);
      },
    },
    { lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return { text: tidyLines(htmlToMarkdown(html)), media };
}

/** Anki's and Moodle's media markers in text: `[sound:x.mp3]`, `@@PLUGINFILE@@/x.png`. */
export function mediaMarker(text: string): string | null {
  if (/\[sound:[^\]]*\]/i.test(text)) return 'a sound ([sound:…])';
  if (/@@PLUGINFILE@@/.test(text)) return 'an embedded file (@@PLUGINFILE@@)';
  return null;
}
