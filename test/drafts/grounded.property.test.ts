import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { questionDefinition } from '../../server/questions/definition.ts';
import { buildIndex } from '../../server/drafts/build-index.ts';
import { candidateDrafts } from '../../server/drafts/generate.ts';
import { draftDocument } from '../../server/drafts/draft-document.ts';
import type { Draft, SourcePassage } from '../../server/drafts/draft.ts';
import { shippedPassages } from './sco-passages.ts';

/** Every draft is a valid question, cites a passage of its document, and quotes it verbatim. */
function assertGrounded(drafts: readonly Draft[], passages: readonly SourcePassage[]) {
  const byId = new Map(passages.map((p) => [p.id, p]));
  for (const d of drafts) {
    const parsed = questionDefinition.safeParse(d.question);
    assert.ok(parsed.success, `${d.question.id}: ${JSON.stringify(parsed.error?.issues)}`);
    const cited = byId.get(d.question.source.passageId);
    assert.ok(cited, `${d.question.id} cites ${d.question.source.passageId}`);
    assert.ok(cited.text.includes(d.question.source.quote), `${d.question.id}: quote verbatim in ${cited.id}`);
    // The key is the document's own words: every accepted answer or right choice occurs in the document.
    const keys =
      d.question.type === 'mcq'
        ? d.question.choices.filter((c) => c.id === (d.question as { answer: string }).answer).map((c) => c.text)
        : d.question.type === 'short'
          ? [d.question.answers[0]!]
          : d.question.type === 'cloze'
            ? d.question.blanks.map((b) => b.answers[0]!)
            : [];
    for (const k of keys) assert.ok(cited.text.includes(k), `${d.question.id}: key "${k}" is in the cited passage`);
  }
}

for (const source of shippedPassages()) {
  const index = buildIndex(source.passages);
  const sections = [...new Set(index.passages.map((p) => p.sectionTitle))];

  test(`${source.id}: every ranked draft is valid, cites an existing passage and quotes it verbatim`, () => {
    const drafts = draftDocument(source.passages);
    assert.ok(drafts.length > 0);
    assertGrounded(drafts, source.passages);
  });

  test(`${source.id}: every candidate, for any seed and any choice of sections, is grounded`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.subarray(sections, { minLength: 1 }), (seed, chosen) => {
        const scoped = { ...index, passages: index.passages.filter((p) => chosen.includes(p.sectionTitle)) };
        const drafts = candidateDrafts(source.passages, { index: scoped, seed });
        assertGrounded(drafts, source.passages);
        assert.ok(drafts.every((d) => chosen.includes(d.sectionTitle)));
      }),
      { numRuns: 8 },
    );
  });
}
