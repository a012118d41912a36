import type { QuestionDefinition } from '../../../questions/definition.ts';
import { DEFAULT_CLOZE_PROMPT, defaultChoiceIds } from '../gift/question.ts';
import { escapeXml } from './xml.ts';
import type { MoodleMeta } from './index.ts';

/* Writes questions as Moodle XML, every Lectern type; Lectern's metadata in a comment per question. */

const percent = (fraction: number) => String(Number((fraction * 100).toFixed(7)));
const text = (value: string) => `<text>${escapeXml(value)}</text>`;
// Lectern's text is its Markdown subset, which Moodle reads as format="markdown".
const el = (name: string, value: string) => `<${name} format="markdown">${text(value)}</${name}>`;
const feedback = (f: string | undefined) => (f ? el('feedback', f) : '');
const answer = (fraction: number | string, value: string, f?: string, extra = '') =>
  `<answer fraction="${fraction}" format="markdown">${text(value)}${extra}${feedback(f)}</answer>`;
/** Moodle's embedded-answer syntax escapes these with a backslash. */
const clozeAnswer = (a: string) => a.replace(/[\\}#~/"]/g, (c) => `\\${c}`);

function meta(def: QuestionDefinition): string {
  const m: MoodleMeta = { topics: def.topics, difficulty: def.difficulty, ...(def.level ? { level: def.level } : {}), source: def.source };
  if (def.type === 'card') m.type = 'card';
  if (def.type === 'essay' && def.modelAnswer) m.modelAnswer = def.modelAnswer;
  if (def.type === 'mcq' || def.type === 'multi') {
    const ids = def.choices.map((c) => c.id);
    if (ids.join() !== defaultChoiceIds(ids.length).join()) m.choiceIds = ids;
  }
  if (def.type === 'cloze' && def.prompt !== DEFAULT_CLOZE_PROMPT) m.prompt = def.prompt;
  // "--" may not appear in an XML comment; inside JSON strings it is written \u002d-.
  return `<!-- lectern: ${JSON.stringify(m).replace(/--/g, '\\u002d-')} -->`;
}

/** The Moodle type and the type-specific elements of a definition. */
function body(def: QuestionDefinition): { type: string; prompt: string; parts: string[] } {
  switch (def.type) {
    case 'mcq':
      return {
        type: 'multichoice',
        prompt: def.prompt,
        parts: [
          '<single>true</single>',
          '<shuffleanswers>true</shuffleanswers>',
          '<answernumbering>abc</answernumbering>',
          ...def.choices.map((c) => answer(c.id === def.answer ? 100 : c.credit ? percent(c.credit) : 0, c.text, c.feedback)),
        ],
      };
    case 'multi': {
      // +1/k for a right choice, −1/k for a wrong one: Moodle then grades as Lectern does.
      const share = percent(1 / def.answers.length);
      return {
        type: 'multichoice',
        prompt: def.prompt,
        parts: [
          '<single>false</single>',
          '<shuffleanswers>true</shuffleanswers>',
          '<answernumbering>abc</answernumbering>',
          ...def.choices.map((c) => answer(def.answers.includes(c.id) ? share : `-${share}`, c.text, c.feedback)),
        ],
      };
    }
    case 'truefalse':
      return {
        type: 'truefalse',
        prompt: def.prompt,
        parts: [answer(def.answer ? 100 : 0, 'true', def.feedbackTrue), answer(def.answer ? 0 : 100, 'false', def.feedbackFalse)],
      };
    case 'short':
      return {
        type: 'shortanswer',
        prompt: def.prompt,
        parts: [
          '<usecase>0</usecase>',
          ...def.answers.map((a) => answer(100, a, def.feedback?.find((f) => f.answer === a)?.text)),
          ...(def.partial ?? []).map((p) => answer(percent(p.credit), p.answer, p.feedback)),
          ...(def.otherwise ? [answer(0, '*', def.otherwise)] : []),
        ],
      };
    case 'numeric':
      return {
        type: 'numerical',
        prompt: def.prompt,
        parts: [
          answer(100, String(def.answer), def.feedback, `<tolerance>${def.tolerance}</tolerance>`),
          ...(def.alternatives ?? []).map((a) => answer(percent(a.credit), String(a.answer), a.feedback, `<tolerance>${a.tolerance}</tolerance>`)),
          ...(def.otherwise ? [answer(0, '*', def.otherwise, '<tolerance>0</tolerance>')] : []),
          ...(def.unit
            ? [
                `<units><unit><multiplier>1</multiplier><unit_name>${escapeXml(def.unit)}</unit_name></unit></units>`,
                '<showunits>3</showunits>',
                '<unitsleft>0</unitsleft>',
              ]
            : []),
        ],
      };
    case 'cloze':
      return {
        type: 'cloze',
        prompt: def.text.replace(
          /\{\{(\d+)\}\}/g,
          (_, n: string) => `{1:SHORTANSWER:${def.blanks[Number(n) - 1]!.answers.map((a) => `=${clozeAnswer(a)}`).join('~')}}`,
        ),
        parts: [],
      };
    case 'matching':
      return {
        type: 'matching',
        prompt: def.prompt,
        parts: [
          '<shuffleanswers>true</shuffleanswers>',
          ...def.pairs.map((p) => `<subquestion format="markdown">${text(p.left)}<answer>${text(p.right)}</answer></subquestion>`),
        ],
      };
    case 'ordering':
      // The qtype_ordering plugin: items in their correct order; "longest ordered subset" grades as Lectern does.
      return {
        type: 'ordering',
        prompt: def.prompt,
        parts: [
          '<layouttype>VERTICAL</layouttype>',
          '<selecttype>ALL</selecttype>',
          '<selectcount>0</selectcount>',
          '<gradingtype>LONGEST_ORDERED_SUBSET</gradingtype>',
          ...def.items.map((item, i) => answer(i + 1, item)),
        ],
      };
    case 'essay':
      // Moodle's own essay: marked out of defaultgrade (written below), the rubric as grader information.
      return {
        type: 'essay',
        prompt: def.prompt,
        parts: [
          '<responseformat>editor</responseformat>',
          '<responsefieldlines>15</responsefieldlines>',
          ...(def.wordLimit ? [`<maxwordenabled>1</maxwordenabled>`, `<maxwordlimit>${def.wordLimit}</maxwordlimit>`] : []),
          ...(def.rubric ? [el('graderinfo', def.rubric)] : []),
        ],
      };
    case 'card':
      // Moodle has no self-rated card: an essay whose grader information is the back.
      return { type: 'essay', prompt: def.prompt, parts: ['<responseformat>editor</responseformat>', el('graderinfo', def.back)] };
  }
}

/** The questions as a Moodle XML file, with the bank's title as the category. */
export function exportMoodleXml(defs: readonly QuestionDefinition[], category: string): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    `  <question type="category"><category>${text(`$course$/top/${category.replace(/[\r\n/]+/g, ' ')}`)}</category></question>`,
  ];
  for (const def of defs) {
    const { type, prompt, parts } = body(def);
    out.push(
      `  <question type="${type}">`,
      `    ${meta(def)}`,
      `    <name>${text(def.id)}</name>`,
      `    ${el('questiontext', prompt)}`,
      `    ${el('generalfeedback', def.explanation)}`,
      `    <defaultgrade>${def.type === 'essay' ? def.maxMark : 1}</defaultgrade>`,
      ...parts.map((p) => `    ${p}`),
      `    <tags>${def.topics.map((t) => `<tag>${text(t)}</tag>`).join('')}</tags>`,
      '  </question>',
    );
  }
  out.push('</quiz>');
  return `${out.join('\n')}\n`;
}
