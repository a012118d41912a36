import { GiftSyntaxError, answerText, findUnescaped } from './escape.ts';

/** One answer of an answer block: its marker, weight (%50%), text and feedback (#…), still escaped. */
export interface Answer {
  marker: '=' | '~';
  weight?: number;
  text: string;
  feedback?: string;
  offset: number;
}

/** Splits `=a ~b#feedback =%50%c` into answers, keeping each answer's feedback. */
export function splitAnswers(content: string, base: number): Answer[] {
  const answers: Answer[] = [];
  let i = 0;
  while (i < content.length && /\s/.test(content[i]!)) i++;
  if (i < content.length && content[i] !== '=' && content[i] !== '~') {
    throw new GiftSyntaxError(base + i, `unknown answer marker "${content[i]}": answers start with = (right) or ~ (wrong)`);
  }
  while (i < content.length) {
    // content[i] is = or ~ here: checked before the loop, and where the last answer ended.
    const marker = content[i] === '=' ? '=' : '~';
    let end = i + 1;
    for (; end < content.length; end++) {
      if (content[end] === '\\') end++;
      else if (content[end] === '=' || content[end] === '~') break;
    }
    let body = content.slice(i + 1, end);
    let feedback: string | undefined;
    const hash = findUnescaped(body, '#');
    if (hash >= 0) {
      feedback = answerText(body.slice(hash + 1)) || undefined;
      body = body.slice(0, hash);
    }
    const w = /^\s*%(-?\d+(?:\.\d+)?)%/.exec(body);
    if (w) body = body.slice(w[0].length);
    const weight = w ? Number(w[1]) : undefined;
    if (weight !== undefined && (weight < -100 || weight > 100)) {
      throw new GiftSyntaxError(base + i, `the weight %${w![1]}% is outside -100..100`);
    }
    answers.push({ marker, text: body, offset: base + i, ...(weight !== undefined ? { weight } : {}), ...(feedback ? { feedback } : {}) });
    i = end;
  }
  return answers;
}

/** An answer's credit as a fraction: its weight, else 1 for "=" and 0 for "~". */
export function creditOf(a: Answer): number {
  return a.weight !== undefined ? a.weight / 100 : a.marker === '=' ? 1 : 0;
}
