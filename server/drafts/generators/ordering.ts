import { orderConnective } from '../../banks/quality/structure.ts';
import type { Sentence, Span } from '../nlp.ts';
import { hashOf, suggestTopics, type Draft, type DocumentIndex, type SourcePassage } from '../draft.ts';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** When a date or year falls, as a number to sort by: "late 1990’s" → 1998, "15 June 2001" → 2001.46. */
export function whenOf(span: Span): number | null {
  const year = /(?:1[6-9]|20)\d\d/.exec(span.text);
  if (!year) return null;
  let t = Number(year[0]);
  const lower = span.text.toLowerCase();
  if (/\d[’']?s\b/.test(span.text)) t += lower.startsWith('late') ? 8 : lower.startsWith('mid') ? 5 : lower.startsWith('early') ? 2 : 5;
  const month = MONTHS.findIndex((m) => lower.includes(m));
  if (month >= 0) t += month / 12 + (Number(/^(\d{1,2})\s/.exec(span.text)?.[1] ?? 1) - 1) / 366;
  else if (!/s\b/.test(lower)) t += lower.startsWith('late') ? 0.8 : lower.startsWith('mid') ? 0.5 : lower.startsWith('early') ? 0.1 : 0.5;
  return t;
}

interface Event {
  item: string;
  when: number;
  passage: SourcePassage;
  sentence: Sentence;
}

/** The event a sentence dates, without its date: "In June 2001, Uzbekistan joined …" → "Uzbekistan joined …". */
function eventOf(passage: SourcePassage, sentence: Sentence): Event | null {
  const dated = sentence.spans.filter((s) => s.kind === 'date' || s.kind === 'year');
  const widest = dated.filter((s) => !dated.some((o) => o !== s && o.start <= s.start && o.end >= s.end));
  if (widest.length !== 1) return null;
  const span = widest[0]!;
  const when = whenOf(span);
  if (when === null) return null;
  // Only a date that frames the event ("In June 2001, …", "… by the late 1990’s"), not one that names a thing ("the 2005 declaration").
  const PREP = /\b(?:in|by|on|since|from|during|until|after|before)\s+(?:the\s+)?$/i;
  const raw = passage.text.slice(sentence.start, span.start);
  if (!PREP.test(raw)) return null;
  const before = raw.replace(PREP, '');
  const after = passage.text.slice(span.end, sentence.end);
  let item = `${before.trim()} ${after.replace(/^[’']?s?\s*,?\s*/, '')}`.replace(/\s+([,.;:])/g, '$1').replace(/\s+/g, ' ').replace(/^[,\s]+/, '').trim();
  item = item.charAt(0).toUpperCase() + item.slice(1);
  if (item.split(' ').length < 5 || item.length > 300 || /(?:1[6-9]|20)\d\d/.test(item) || orderConnective(item)) return null;
  return { item, when, passage, sentence };
}

/** Ordering drafts: four dated events of the document, earliest first, a year or more apart. */
export function orderingDrafts(index: DocumentIndex): Draft[] {
  const events: Event[] = [];
  for (const passage of index.passages) for (const s of index.sentences.get(passage.id) ?? []) {
    const e = eventOf(passage, s);
    if (e && !events.some((x) => Math.abs(x.when - e.when) < 1 || x.item === e.item)) events.push(e);
  }
  events.sort((a, b) => a.when - b.when);
  const drafts: Draft[] = [];
  // Consecutive groups of four, so each group spans a stretch of the story.
  for (let i = 0; i + 4 <= events.length; i += 4) {
    const group = events.slice(i, i + 4);
    const first = group[0]!;
    const key = hashOf('ordering', ...group.map((e) => e.item));
    drafts.push({
      key,
      kind: 'ordering',
      passageId: first.passage.id,
      sectionTitle: first.passage.sectionTitle,
      terms: group.map((e) => e.item.split(' ').slice(0, 4).join(' ')),
      informativeness: 0.85,
      question: {
        id: `d-${key}`,
        type: 'ordering',
        prompt: 'Put these events from the document in the order they happened, earliest first.',
        items: group.map((e) => e.item),
        topics: suggestTopics(first.passage.sectionTitle, [], 'year'),
        difficulty: 'hard',
        level: 'understand',
        source: { passageId: first.passage.id, quote: first.sentence.text },
        explanation: `The document dates them: ${group.map((e) => `“${e.sentence.text}”`).join(' ')}`.slice(0, 2000),
      },
    });
  }
  return drafts;
}
