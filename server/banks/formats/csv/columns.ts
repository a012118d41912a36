/**
 * The columns of Lectern's CSV of questions, in the order the export and the template write them.
 * Lists in a cell are split at `|` (a `\|` is a literal bar); a cloze's blanks at `;` (`\;`).
 */
export const CSV_COLUMNS = [
  'type',
  'id',
  'prompt',
  'choices',
  'answer',
  'tolerance',
  'unit',
  'text',
  'explanation',
  'topics',
  'difficulty',
  'level',
  'passage',
  'quote',
  'source',
  'choice_ids',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** A cell's list: split at unescaped `sep`, each part trimmed, empty parts dropped. */
export function splitList(cell: string, sep: '|' | ';'): string[] {
  const parts = cell.split(sep === '|' ? /(?<!\\)\|/ : /(?<!\\);/);
  return parts.map((p) => p.replace(sep === '|' ? /\\\|/g : /\\;/g, sep).trim()).filter((p) => p !== '');
}

/** A list as one cell, the separator escaped inside its items. */
export function joinList(items: readonly string[], sep: '|' | ';'): string {
  return items.map((i) => i.split(sep).join(`\\${sep}`)).join(` ${sep} `);
}

/** The downloadable template (docs/csv-template.csv is the same file): one row of each type. */
export const CSV_TEMPLATE = `${CSV_COLUMNS.join(',')}
mcq,,Which gas do plants take in?,Carbon dioxide | Oxygen | Helium,Carbon dioxide,,,,,,easy,recall,,,,
multi,,Which of these are planets?,Mars | Venus | The Moon | The Sun,Mars | Venus,,,,,,medium,,,,,
truefalse,,Water boils at 100 °C at sea level.,,true,,,,,,,,,,,
short,,Which organ pumps blood?,,heart | the heart,,,,,,,,,,,
numeric,,How many legs has a spider?,,8,0,legs,,,,,,,,,
cloze,,,,hydrogen; oxygen | O,,,"Water is made of {{1}} and {{2}}.",,,,,,,,
matching,,Match each capital to its country.,Paris -> France | Rome -> Italy,,,,,,,,,,,,
ordering,,Put these in order of size.,Atom | Cell | Organ | Body,,,,,,,,,,,,
card,,Photosynthesis,,How plants make sugar from light,,,,,,,,,,,
`;
