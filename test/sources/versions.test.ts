import { test } from 'node:test';
import assert from 'node:assert/strict';
import { carryOver } from '../../server/sources/versions.ts';
import { extractDocument } from '../../server/sources/extract/index.ts';

const limits = { maxPages: 50, maxPassages: 5000 };
const read = async (text: string) => (await extractDocument({ format: 'text', bytes: new TextEncoder().encode(text) }, limits)).passages;

test('a new version: unchanged passages keep their ids, a changed one is matched by similarity, a removed one is marked removed, a new one gets a fresh id', async () => {
  const v1 = await read(
    'Rivers cross borders and so do their quarrels.\n\nQuotas are set each spring by the basin authority.\n\nFarmers may trade what they do not use.\n',
  );
  const v2 = await read(
    'A brand new opening paragraph about deltas.\n\nRivers cross borders and so do their quarrels.\n\nQuotas are set each autumn by the basin authority.\n',
  );
  const { passages, changes } = carryOver(v1, v2);
  const byText = new Map(passages.map((p) => [p.text, p]));
  assert.equal(byText.get('Rivers cross borders and so do their quarrels.')!.id, 'intro-1');
  assert.equal(byText.get('Quotas are set each autumn by the basin authority.')!.id, 'intro-2');
  const fresh = byText.get('A brand new opening paragraph about deltas.')!;
  assert.ok(!['intro-1', 'intro-2', 'intro-3'].includes(fresh.id), fresh.id);
  assert.equal(byText.get('Farmers may trade what they do not use.')!.removed, true);
  assert.deepEqual(
    changes.map((c) => [c.passageId, c.change]),
    [
      ['intro-2', 'changed'],
      ['intro-3', 'removed'],
    ],
  );
  assert.equal(changes[0]!.oldText, 'Quotas are set each spring by the basin authority.');
  assert.equal(changes[0]!.newText, 'Quotas are set each autumn by the basin authority.');
});

test('the same version again changes nothing', async () => {
  const v1 = await read('One paragraph.\n\nAnother paragraph.\n');
  const { passages, changes } = carryOver(v1, await read('One paragraph.\n\nAnother paragraph.\n'));
  assert.deepEqual(passages, v1);
  assert.deepEqual(changes, []);
});
