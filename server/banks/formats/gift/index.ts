/**
 * Moodle's GIFT format, in and out (https://docs.moodle.org/en/GIFT_format).
 *
 * Mapping: `{=a ~b}` → mcq (`~%50%b` partial credit on b; a second `=` is also right);
 * `{~%50%a ~%50%b ~%-50%c}` (no `=`) → multi, graded our way (+1/k, −1/k) and exported with
 * `~%-{100/k}%` on wrong choices so that Moodle grades it the same; `{T}`/`{F}`/`{TRUE}`/`{FALSE}`
 * → truefalse (`{T#if wrong#if right}`); `{=a =%50%b =%0%*#…}` at the end → short (partial credit,
 * `*` the catch-all feedback); `{#42:0.5}`, `{#1..3}`, `{#=42:0 =%50%42:2 ~#…}` and Moodle's
 * multi-line `{#\n=%100%3:2#…\n~#…\n}` → numeric (further ranges as alternatives, `~#…` for every
 * other number); `{=a -> 1 =b -> 2}` → matching; text on both sides of the braces ("missing
 * word") → mcq/multi with "_____" in the prompt, or a one-blank cloze when the answers are all `=`
 * with no weight or feedback. Per-answer feedback (`#…`) is kept and shown to the learner who gave
 * that answer.
 *
 * What GIFT cannot say travels in a comment right before the question:
 * `// lectern: {"type":…,"topics":[…],"difficulty":…,"level":…,"source":{…},"unit":…,"choiceIds":[…],"prompt":…,"essay":{"maxMark":…,"wordLimit":…,"rubric":…,"modelAnswer":…}}`.
 * Without it the caller's defaults apply: topics and source must come from one or the other;
 * difficulty defaults to "medium"; explanation is the general feedback (`####…`), else the
 * caller's default, else "The answer is …"; the id is the title slugged, else the prompt slugged
 * (duplicates suffixed -2, -3, …); mcq/multi choice ids are a, b, c…; a cloze's prompt is
 * "Fill in the blank.".
 *
 * Essays: `{}` (or `{####general feedback}`) → essay, out of 10 with no word limit unless the
 * lectern comment says otherwise.
 *
 * Not imported (an error on the line): descriptions (no braces), matching distractors.
 */
export { parseGift, parseGiftYielding, readGift, readGiftYielding, MAX_GIFT_QUESTIONS } from './parse.ts';
export { exportGift } from './export.ts';
export { splitChunks } from './chunks.ts';
export type { GiftDefaults, GiftError, GiftQuestion, ParseGiftResult, ReadGiftResult, ExportGiftResult } from './types.ts';
