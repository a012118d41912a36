/**
 * The forms of an accepted answer that people write without being wrong: "Full name (ABBR)"
 * stands for the name, the abbreviation and both; British and American spellings are one.
 */

/** An abbreviation in brackets: one word, with two capitals or a capital and a digit ("RATS", "PfP", "S5"). */
const ABBREVIATION = /^(?=(?:.*[A-Z]){2}|.*[A-Z].*\d)[A-Za-z0-9&.-]{2,12}$/;
const NAME_THEN_ABBREVIATION = /^(.+?)\s*\(([^()]+)\)\s*$/;

/** "Regional Antiterrorism Structure (RATS)" → ["Regional Antiterrorism Structure", "RATS"]; anything else → null. */
export function splitNameAndAbbreviation(answer: string): [string, string] | null {
  const m = NAME_THEN_ABBREVIATION.exec(answer.trim());
  if (!m) return null;
  const name = m[1]!.trim();
  const abbr = m[2]!.trim();
  return name && ABBREVIATION.test(abbr) ? [name, abbr] : null;
}

/** Accepted answers plus, for each "Full name (ABBR)", the name alone and the abbreviation alone. */
export function expandAcceptedAnswers(accepted: readonly string[]): string[] {
  const out = new Set<string>();
  for (const a of accepted) {
    out.add(a);
    const split = splitNameAndAbbreviation(a);
    if (split) for (const part of split) out.add(part);
  }
  return [...out];
}

/** British spellings (as normaliseAnswer leaves them) and the American forms they are folded to. */
const SPELLINGS: Record<string, string> = {
  dialogue: 'dialog',
  dialogues: 'dialogs',
  programme: 'program',
  programmes: 'programs',
  organisation: 'organization',
  organisations: 'organizations',
  centre: 'center',
  centres: 'centers',
  defence: 'defense',
  militarisation: 'militarization',
  globalisation: 'globalization',
  institutionalised: 'institutionalized',
  catalogue: 'catalog',
  labour: 'labor',
  neighbour: 'neighbor',
  neighbours: 'neighbors',
  neighbouring: 'neighboring',
};

/** Folds British spellings of a normalised answer to American ones, word by word ("partnership for peace programme" → "… program"). */
export function foldSpelling(normalised: string): string {
  return normalised
    .split(' ')
    .map((w) => SPELLINGS[w] ?? w)
    .join(' ');
}
