import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { NodeHtmlMarkdown } from 'node-html-markdown';
import { LRUCache } from 'lru-cache';

/*
 * Rich text in questions: a small Markdown subset, rendered to HTML and then passed through an
 * allow-list sanitiser. markdown-it runs with raw HTML off, so markup typed or imported is shown
 * as text; the sanitiser is the second wall (no script, style, event attribute or unsafe link
 * can survive even if a rule of the renderer changes).
 *
 * Prompts and choices sit inside labels and legends, which take phrasing content only: they get
 * the inline subset (emphasis, code, links, line breaks). Explanations also get paragraphs and lists.
 */

const INLINE_RULES = ['emphasis', 'backticks', 'link', 'newline', 'escape', 'entity', 'linkify'];
const BLOCK_RULES = [...INLINE_RULES, 'paragraph', 'list'];

function renderer(rules: string[]) {
  const md = new MarkdownIt('zero', { html: false, breaks: true, linkify: true });
  md.enable(rules);
  return md;
}
const inlineMd = renderer(INLINE_RULES);
const blockMd = renderer(BLOCK_RULES);

const INLINE_TAGS = ['em', 'strong', 'code', 'a', 'br'];
const sanitizeOptions = (tags: string[]): sanitizeHtml.IOptions => ({
  allowedTags: tags,
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) },
});
const INLINE_OPTIONS = sanitizeOptions(INLINE_TAGS);
const BLOCK_OPTIONS = sanitizeOptions([...INLINE_TAGS, 'p', 'ul', 'ol', 'li']);
// `rel` is set by the transform, so it must be allowed through.
INLINE_OPTIONS.allowedAttributes = BLOCK_OPTIONS.allowedAttributes = { a: ['href', 'rel'] };

/** Characters without which Markdown changes nothing: plain text takes the fast path. */
const MARKDOWN_SIGNS = /[*_`[\]\n\\]|https?:|www\.|mailto:|^\s*(?:[-+*]|\d+[.)])\s/m;

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');

// The same texts (a bank's prompts) are rendered on every page view: keep the latest.
const cache = new LRUCache<string, string>({ max: 5000, maxSize: 4_000_000, sizeCalculation: (v, k) => v.length + k.length + 1 });

function render(kind: 'i' | 'b', text: string): string {
  if (!MARKDOWN_SIGNS.test(text)) return kind === 'b' ? `<p>${escapeHtml(text)}</p>` : escapeHtml(text);
  const key = kind + text;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const html = kind === 'i' ? sanitizeHtml(inlineMd.renderInline(text), INLINE_OPTIONS) : sanitizeHtml(blockMd.render(text), BLOCK_OPTIONS);
  cache.set(key, html);
  return html;
}

/** A prompt, choice or item as safe inline HTML (emphasis, code, links, line breaks). */
export function richInline(text: string | null | undefined): string {
  return text ? render('i', text) : '';
}

/** An explanation as safe HTML: the inline subset plus paragraphs and lists. */
export function richBlock(text: string | null | undefined): string {
  return text ? render('b', text) : '';
}

/** The words of a rich text without its Markdown (for titles, exports to plain formats, search). */
export function plainOf(text: string): string {
  return decodeEntities(sanitizeHtml(inlineMd.renderInline(text), { allowedTags: [], allowedAttributes: {} }));
}

const decodeEntities = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

// HTML from other tools (GIFT's [html], Moodle XML) keeps what the subset can say. The sanitiser
// first drops everything else, with the content of script, style and similar elements.
const HTML_IN: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'div', 'em', 'i', 'strong', 'b', 'code', 'pre', 'a', 'ul', 'ol', 'li'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'svg', 'math', 'template'],
};
const toMarkdown = new NodeHtmlMarkdown({
  bulletMarker: '-',
  emDelimiter: '*',
  strongDelimiter: '**',
  codeBlockStyle: 'fenced',
  keepDataImages: false,
  useLinkReferenceDefinitions: false,
});

/** HTML as the Markdown subset: emphasis, code, links, lists and breaks kept; every other element and attribute gone. */
export function htmlToMarkdown(html: string): string {
  return toMarkdown.translate(sanitizeHtml(html, HTML_IN)).trim();
}

/** HTML as its words only (for answers that are matched, not shown: short answers). */
export function htmlToText(html: string): string {
  return decodeEntities(sanitizeHtml(html, { allowedTags: [], allowedAttributes: {}, nonTextTags: HTML_IN.nonTextTags }))
    .replace(/\s+/g, ' ')
    .trim();
}

/** What views call to show rich text (the app puts them in app.locals; view tests pass them too). */
export const richTextHelpers = { richInline, richBlock, plainOf };
