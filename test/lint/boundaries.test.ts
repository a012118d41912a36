import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixtures = path.join(root, 'test/lint-fixtures');
const eslint = new ESLint({ cwd: root });

/** Lints a fixture as if it were the server file named on its first line (`// as: server/...`). */
async function lintFixture(name: string): Promise<string[]> {
  const code = readFileSync(path.join(fixtures, name), 'utf8');
  const as = /^\/\/ as: (\S+)/.exec(code)?.[1];
  assert.ok(as, `${name} names the path it is linted as`);
  const [result] = await eslint.lintText(code, { filePath: path.join(root, as) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

test('every fixture is covered by a case below', () => {
  const covered = [
    'model-import.ts',
    'response-model-import.ts',
    'upward-import.ts',
    'shared-imports-feature.ts',
    'public-face-import.ts',
    'shared-type-import.ts',
  ];
  assert.deepEqual(
    readdirSync(fixtures)
      .filter((f) => f.endsWith('.ts'))
      .sort(),
    covered.sort(),
  );
});

test("importing another feature's model fails the lint", async () => {
  const messages = await lintFixture('model-import.ts');
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.match(messages[0]!, /no-restricted-imports: .*model is private to its folder/);
});

test('a *-model.ts file is as private as model.ts', async () => {
  const messages = await lintFixture('response-model-import.ts');
  assert.match(messages.join('\n'), /model is private to its folder/);
});

test('an import up the feature layers (a possible cycle between folders) fails the lint', async () => {
  const messages = await lintFixture('upward-import.ts');
  assert.equal(messages.length, 1, messages.join('\n'));
  assert.match(messages[0]!, /server\/accounts\/ may not import this feature: it is higher in FEATURE_LAYERS/);
});

test('a shared module (http/) calling into a feature fails the lint', async () => {
  const messages = await lintFixture('shared-imports-feature.ts');
  assert.match(messages.join('\n'), /A shared module may not import this feature/);
});

test("a feature's own model, a lower feature's index.ts and a shared type import pass", async () => {
  assert.deepEqual(await lintFixture('public-face-import.ts'), []);
  assert.deepEqual(await lintFixture('shared-type-import.ts'), []);
});
