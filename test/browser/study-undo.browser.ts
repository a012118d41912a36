import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startBrowserEnv, step, type BrowserEnv } from './harness.ts';
import { seedDatabase } from '../../seed/seed-database.ts';
import { DEMO_ACCOUNTS } from '../../server/accounts/demo-accounts.ts';
import { Bank } from '../../server/banks/model.ts';
import { User } from '../../server/accounts/model.ts';
import { StudyCard, ReviewLog } from '../../server/study/model.ts';

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

async function cardSide(page: Page, side: 'front' | 'back'): Promise<void> {
  await page.locator(`[data-study="${side}"]`).waitFor();
  await page.waitForLoadState('load');
}

test('a mistaken rating undone: the button, then Ctrl+Z, bring the card back to rate again', async () => {
  const page = await env.newPage();
  await page.goto('/login');
  await page.getByLabel('Email').fill(student.email);
  await page.getByLabel('Password').fill(student.password);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.baseUrl}/`);
  const userId = (await User.findOne({ email: student.email }).lean())!._id;

  const firstCard = await step(page, 'rate a new card Easy by mistake', async () => {
    await page.goto(`/study/session?bank=${bankId}`);
    await cardSide(page, 'front');
    assert.equal(await page.locator('[data-study-undo]').count(), 0, 'nothing to undo yet');
    await page.keyboard.press(' ');
    await cardSide(page, 'back');
    const cardId = /\/study\/cards\/([a-f0-9]{24})/.exec(page.url())![1]!;
    await page.keyboard.press('4');
    await cardSide(page, 'front');
    return cardId;
  });
  await step(page, 'the undo button brings back the card, unrated', async () => {
    const undo = page.getByRole('button', { name: /Undo last rating \(Easy\)/ });
    assert.ok(await undo.isVisible());
    await undo.click();
    await cardSide(page, 'back');
    assert.ok(page.url().includes(`/study/cards/${firstCard}`));
    assert.ok(await page.getByText('Rating undone. Rate this card again.').isVisible());
    const card = (await StudyCard.findById(firstCard).lean())!;
    assert.equal(card.reps, 0);
    assert.equal(card.state, 0);
    assert.equal(await ReviewLog.countDocuments({ userId }), 0);
  });
  await step(page, 'rated Again this time; Ctrl+Z undoes that too', async () => {
    await page.keyboard.press('1');
    await cardSide(page, 'front');
    assert.equal((await ReviewLog.findOne({ userId }).lean())!.rating, 1);
    await page.keyboard.press('Control+z');
    await cardSide(page, 'back');
    assert.ok(page.url().includes(`/study/cards/${firstCard}`));
    assert.equal(await ReviewLog.countDocuments({ userId }), 0);
  });
  await step(page, 'rated Good, the session moves on; back in history, no second undo is offered', async () => {
    await page.keyboard.press('3');
    await cardSide(page, 'front');
    const logs = await ReviewLog.find({ userId }).lean();
    assert.deepEqual(
      logs.map((l) => l.rating),
      [3],
    );
    assert.equal((await StudyCard.findById(firstCard).lean())!.reps, 1);
    await page.getByRole('button', { name: /Undo last rating \(Good\)/ }).click();
    await cardSide(page, 'back');
    await page.goto(`/study/session?bank=${bankId}`);
    await cardSide(page, 'front');
    assert.equal(await page.locator('[data-study-undo]').count(), 0, 'one undo per rating');
  });
  await page.close();
});
