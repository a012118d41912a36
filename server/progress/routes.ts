import { Router } from 'express';
import { formatPercent, formatTime } from '../formatting/index.ts';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { CELL_STATE_LABELS } from './gradebook.ts';
import { classPaperMap, learnerDashboard } from './service.ts';
import { classGradebook, classResponsesCsv, gradebookCsv } from './gradebook-service.ts';
import { quizStatistics } from './statistics-service.ts';
import { objectIdSchema as objectId } from '../object-ids.ts';

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1) });
const gradebookQuery = pageQuery.extend({ quizzes: z.coerce.number().int().min(1).max(10_000).optional().catch(undefined) });

/** A 0..1 value as "72%" (or an em dash). */
const asPercent = formatPercent;
/** A time as pages show it, in the viewer's zone. */
const timesFor = (req: import('express').Request) => (d: Date | null | undefined) => formatTime(d, req.user?.timeZone);

/** Sets the headers of a CSV download. A BOM first, so spreadsheets read the file as UTF-8. */
function csvHeaders(res: import('express').Response, filename: string): void {
  // res.attachment writes an ASCII filename and, for other letters, RFC 5987's filename*.
  res.attachment(filename);
  res.set('Content-Type', 'text/csv; charset=utf-8');
  res.set('Cache-Control', 'private, no-store');
}

/** Routes for progress: the learner dashboard, the class gradebook, item statistics, paper maps and CSV exports. */
export function createProgressRouter(deps: RouteDeps): Router {
  const router = Router();

  /** GET /progress  The signed-in learner's own progress: mastery, due cards, streak, history, the paper map. */
  router.get('/progress', requireUser, async (req, res) => {
    const dashboard = await learnerDashboard(signedIn(req), deps.clock());
    res.render('progress/dashboard', { title: 'Your progress', ...dashboard, asPercent, asTime: timesFor(req) });
  });

  /** GET /classes/:id/gradebook  Students × assigned quizzes for the class's instructor, 50 students and 20 quizzes a page. */
  router.get('/classes/:id/gradebook', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { page, quizzes } = gradebookQuery.parse(req.query);
    const book = await classGradebook(signedIn(req), id, deps.clock(), page, quizzes);
    res.render('progress/gradebook', { title: `Gradebook: ${book.cls.name}`, ...book, CELL_STATE_LABELS, asPercent, asTime: timesFor(req) });
  });

  /** GET /classes/:id/gradebook.csv  The whole gradebook as CSV. */
  router.get('/classes/:id/gradebook.csv', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const { filename, csv } = await gradebookCsv(signedIn(req), id, deps.clock());
    csvHeaders(res, filename);
    res.send('\uFEFF' + csv);
  });

  /** GET /classes/:id/responses.csv  Every response of the class's students to its quizzes, streamed. */
  router.get('/classes/:id/responses.csv', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    // Authorization happens before any byte is sent, so a refusal is still a proper error page.
    const { filename, run } = await classResponsesCsv(signedIn(req), id, (chunk) => res.write(chunk));
    csvHeaders(res, filename);
    res.write('\uFEFF');
    await run();
    res.end();
  });

  /** GET /classes/:id/paper-map  The paper shaded by the class's marks on the questions citing each passage. */
  router.get('/classes/:id/paper-map', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const map = await classPaperMap(signedIn(req), id);
    res.render('progress/class-map', { title: `Paper map: ${map.cls.name}`, ...map });
  });

  /** GET /quizzes/:id/statistics  Facility and discrimination per question (first attempts), weak items flagged. */
  router.get('/quizzes/:id/statistics', requireRole('instructor'), async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const stats = await quizStatistics(signedIn(req), id);
    res.render('progress/statistics', { ...stats, quizTitle: stats.title, title: `Item statistics: ${stats.title}` });
  });

  return router;
}
