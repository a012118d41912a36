import { Router } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../app.ts';
import { requireRole, requireUser } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { CELL_STATE_LABELS } from './gradebook.ts';
import { classGradebook, classPaperMap, classResponsesCsv, gradebookCsv, learnerDashboard, quizStatistics } from './service.ts';
import { objectIdSchema as objectId } from '../object-ids.ts';


const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });

/** A 0..1 value as "72%" (or an em dash). */
const asPercent = (x: number | null | undefined) => (typeof x === 'number' && Number.isFinite(x) ? `${Math.round(100 * x)}%` : '—');
/** A time as pages show it (UTC, like the rest of Lectern). */
const asTime = (d: Date | null | undefined) => (d ? `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '—');

/** Sets the headers of a CSV download. A BOM first, so spreadsheets read the file as UTF-8. */
function csvHeaders(res: import('express').Response, filename: string): void {
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Content-Disposition', `attachment; filename="${filename}"`);
  res.set('Cache-Control', 'private, no-store');
}

/** Routes for progress: the learner dashboard, the class gradebook, item statistics, paper maps and CSV exports. */
export function createProgressRouter(deps: RouteDeps): Router {
  const router = Router();

  /** GET /progress  The signed-in learner's own progress: mastery, due cards, streak, history, the paper map. */
  router.get('/progress', requireUser, async (req, res) => {
    const dashboard = await learnerDashboard(req.user!, deps.clock());
    res.render('progress/dashboard', { title: 'Your progress', ...dashboard, asPercent, asTime });
  });

  /** GET /classes/:id/gradebook  Students × assigned quizzes for the class's instructor, 50 students a page. */
  router.get('/classes/:id/gradebook', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { page } = pageQuery.parse(req.query);
    const book = await classGradebook(req.user!, id, deps.clock(), page);
    res.render('progress/gradebook', { title: `Gradebook: ${book.cls.name}`, ...book, CELL_STATE_LABELS, asPercent, asTime });
  });

  /** GET /classes/:id/gradebook.csv  The whole gradebook as CSV. */
  router.get('/classes/:id/gradebook.csv', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { filename, csv } = await gradebookCsv(req.user!, id, deps.clock());
    csvHeaders(res, filename);
    res.send('\uFEFF' + csv);
  });

  /** GET /classes/:id/responses.csv  Every response of the class's students to its quizzes, streamed. */
  router.get('/classes/:id/responses.csv', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    // Authorization happens before any byte is sent, so a refusal is still a proper error page.
    const { filename, run } = await classResponsesCsv(req.user!, id, (chunk) => res.write(chunk));
    csvHeaders(res, filename);
    res.write('\uFEFF');
    await run();
    res.end();
  });

  /** GET /classes/:id/paper-map  The paper shaded by the class's marks on the questions citing each passage. */
  router.get('/classes/:id/paper-map', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const map = await classPaperMap(req.user!, id);
    res.render('progress/class-map', { title: `Paper map: ${map.cls.name}`, ...map });
  });

  /** GET /quizzes/:id/statistics  Facility and discrimination per question (first attempts), weak items flagged. */
  router.get('/quizzes/:id/statistics', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const stats = await quizStatistics(req.user!, id);
    res.render('progress/statistics', { ...stats, quizTitle: stats.title, title: `Item statistics: ${stats.title}` });
  });

  return router;
}
