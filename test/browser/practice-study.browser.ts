import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Bank, Question } from '../../server/banks/model.ts';
import { User } from '../../server/accounts/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';
import { newCardState } from '../../server/study/schedule.ts';
import type { QuestionDefinition } from '../../server/questions/index.ts';

const T0 = new Date('2025-03-03T09:00:00.000Z');
const student = DEMO_ACCOUNTS.find((a) => a.role === 'student')!;
let env: BrowserEnv;
let bankId: string;

before(async () => {
  env = await startBrowserEnv({ newCardsPerDay: 5 });
  await seedDatabase({ demo: true, progress: () => {} });
  env.t.setNow(T0);
  bankId = String((await Bank.findOne({ slug: 'sco-policy-brief' }).lean())!._id);
});
after(() => env?.close());

/** Waits for a card side and for its page to finish loading, so the key script is listening. */
async function cardSide(page: Page, side: 'front' | 'back'): Promise<void> {
  await page.locator(`[data-study="${side}"]`).waitFor();
  await page.waitForLoadState('load');
}

async function logIn(page: Page): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(student.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.baseUrl}/`);
}

test('a flashcard session done with the keyboard only', async () => {
  const page = await env.newPage();
  await logIn(page);
  // A short-answer card already due, so the session opens on a card that takes a typed answer.
  const userId = (await User.findOne({ email: student.email }).lean())!._id;
  const short = (await Question.findOne({ bankId: new mongoose.Types.ObjectId(bankId), type: 'short', retired: false }).lean())!;
  const answer = (short.definition as QuestionDefinition & { type: 'short' }).answers[0]!;
  await StudyCard.create({
    userId,
    questionId: short._id,
    bankId: short.bankId,
    topics: short.topics,
    introducedAt: new Date(T0.getTime() - 3600_000),
    ...newCardState(new Date(T0.getTime() - 3600_000)),
  });

  await step(page, 'typed answer: type, Enter shows the checked answer', async () => {
    await page.goto(`/study/session?bank=${bankId}`);
    await cardSide(page, 'front');
    // The cursor is already in the answer box; typing Space there types a space, not "show answer".
    await page.keyboard.type(answer);
    assert.equal(await page.locator('[data-study="front"] input[type="text"]').inputValue(), answer);
    await page.keyboard.press('Enter');
    await cardSide(page, 'back');
    await page.locator('.feedback-correct').waitFor();
  });
  await step(page, 'rate Good with 3', async () => {
    assert.ok(await page.getByRole('button', { name: /^Good \(10m\)/ }).isVisible());
    await page.keyboard.press('3');
    await cardSide(page, 'front');
    const card = (await StudyCard.findOne({ userId, questionId: short._id }).lean())!;
    assert.equal(card.reps, 1);
    assert.equal(card.state, 1);
  });
  await step(page, 'Space shows the answer of a new card, 4 rates it Easy', async () => {
    await page.keyboard.press(' ');
    await cardSide(page, 'back');
    assert.ok(await page.getByRole('button', { name: /^Easy \(8d\)/ }).isVisible());
    await page.keyboard.press('4');
    await cardSide(page, 'front');
  });
  await step(page, 'Enter shows the answer, 1 rates Again', async () => {
    await page.keyboard.press('Enter');
    await cardSide(page, 'back');
    await page.keyboard.press('1');
    await cardSide(page, 'front');
  });
  await step(page, 'Tab and Enter on a rating button work too', async () => {
    await page.keyboard.press(' ');
    await cardSide(page, 'back');
    const good = page.getByRole('button', { name: /^Good/ });
    for (let i = 0; i < 60 && !(await good.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await cardSide(page, 'front');
  });
  const logs = await ReviewLog.find({ userId }).sort({ review: 1 }).lean();
  assert.deepEqual(
    logs.map((l) => l.rating),
    [3, 4, 1, 3],
  );
  assert.equal(logs[0]!.typedScore, 1);
  await page.close();
});

test('a practice quiz with its feedback and "show source"', async () => {
  const page = await env.newPage();
  await logIn(page);
  await step(page, 'set up a practice session', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practise' }).click();
    await page.waitForURL(/\/practice$/);
    await page.getByLabel('Multiple choice', { exact: true }).check();
    await page.getByLabel('Number of questions').selectOption('5');
    await page.getByRole('button', { name: 'Start practising' }).click();
    await page.waitForURL(/\/practice\/[a-f0-9]{24}$/);
    assert.match((await page.locator('.practice-progress').textContent()) ?? '', /question 1 of 5/);
  });
  await step(page, 'answer and see the feedback', async () => {
    await page.locator('.question-choice label').first().click();
    await page.getByRole('button', { name: 'Check my answer' }).click();
    await page.waitForURL(/\/feedback\/0$/);
    await page.locator('.feedback').waitFor();
    assert.match((await page.locator('h1').textContent()) ?? '', /Question 1: (correct|not correct)/);
    assert.ok(await page.getByText('Correct answer').isVisible());
    assert.ok(await page.locator('.feedback-explanation').isVisible());
    assert.ok(await page.getByTestId('evidence-quote').isVisible());
  });
  const quote = (await page.getByTestId('evidence-quote').textContent())!;
  await step(page, 'show source opens the paper at the passage, quote marked', async () => {
    await page.getByRole('link', { name: 'Show source' }).click();
    await page.waitForURL(/\/sources\/sco-policy-brief\?passage=/);
    const mark = page.getByTestId('quote');
    await mark.waitFor();
    assert.equal(await mark.textContent(), quote);
    assert.ok(await mark.isVisible());
    await page.goBack();
  });
  await step(page, 'answer the rest and reach the summary', async () => {
    for (let i = 1; i < 5; i++) {
      await page.getByRole('link', { name: 'Next question' }).click();
      await page.getByRole('button', { name: 'Check my answer' }).waitFor();
      await page.locator('.question-choice label').first().click();
      await page.getByRole('button', { name: 'Check my answer' }).click();
      await page.waitForURL(new RegExp(`/feedback/${i}$`));
    }
    await page.getByRole('link', { name: 'See the summary' }).click();
    await page.waitForURL(/\/summary$/);
    assert.match((await page.getByTestId('practice-total').textContent()) ?? '', /of 5$/);
    await page.getByRole('table').waitFor();
  });
  await page.close();
});
