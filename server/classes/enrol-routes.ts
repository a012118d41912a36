import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { guessLimiters } from '../http/rate-limits.ts';
import { fileNameStem } from '../slug.ts';
import { toCsv } from '../formatting/index.ts';
import { linkBase, resetPath } from '../accounts/index.ts';
import { enrolConfirmForm, enrolUploadForm, objectId } from './schemas.ts';
import { ARCHIVED_NO_NEW_STUDENTS, getTaughtClass } from './service.ts';
import { ConflictError } from '../http/errors.ts';
import { wantsJson } from '../http/wants-json.ts';
import { ROSTER_CSV_MAX_BYTES } from './roster-csv.ts';
import { applyEnrolment, EnrolFileError, previewEnrolment, studentResetLink, type EnrolResult } from './enrol-service.ts';
import { errorCode } from '../object-shape.ts';

const HOUR = 3_600_000;

/** Routes for managing a class's accounts: enrolment from a CSV file, reset links for its students. */
export function createEnrolRouter(deps: RouteDeps): Router {
  const router = Router();
  const maxRows = deps.config.bulkEnrolMaxRows;
  // Each file read checks every line against the accounts; each enrolment may create hundreds.
  const previewLimit = guessLimiters('enrol-preview', { limit: 60, windowMs: HOUR }, { countSuccesses: true });
  const applyLimit = guessLimiters('enrol-apply', { limit: 20, windowMs: HOUR }, { countSuccesses: true });
  const linkLimit = guessLimiters('class-reset-link', { limit: 200, windowMs: HOUR }, { countSuccesses: true });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: ROSTER_CSV_MAX_BYTES, files: 1, fields: 5, fieldSize: ROSTER_CSV_MAX_BYTES } });

  const page = (extra: Record<string, unknown>) => ({
    title: 'Enrol students',
    maxRows,
    maxKb: ROSTER_CSV_MAX_BYTES / 1024,
    preview: null,
    result: null,
    csv: '',
    errors: {},
    message: null,
    ...extra,
  });

  const render = (res: Response, status: number, locals: Record<string, unknown>) => res.status(status).render('classes/enrol', page(locals));

  // An archived class takes no one: its page says so (409) in place of the form.
  const refuseArchived = async (req: Request, res: Response, err: unknown) => {
    if (!(err instanceof ConflictError) || wantsJson(req)) throw err;
    const cls = await getTaughtClass(signedIn(req), parseInput(objectId, req.params.id));
    render(res, 409, { cls, message: err.message });
  };

  // A multer refusal (too large, several files) is the form's message, not a 500.
  const readUpload: RequestHandler = (req, res, next) =>
    upload.single('file')(req, res, (err: unknown) => {
      if (!err) return next();
      const code = errorCode(err);
      const message =
        code === 'LIMIT_FILE_SIZE' || code === 'LIMIT_FIELD_VALUE'
          ? `The file is larger than ${ROSTER_CSV_MAX_BYTES / 1024} KB. Split it into smaller files.`
          : 'The upload could not be read; choose one CSV file and try again.';
      // Outside Express's promise handling: a refusal here (not their class) goes to next.
      Promise.resolve()
        .then(() => getTaughtClass(signedIn(req), parseInput(objectId, req.params.id)))
        .then((cls) => render(res, 400, { cls, message, errors: { file: message } }), next);
    });

  /** GET /classes/:id/enrol  The form: a CSV file (name, email) or the same pasted. */
  router.get('/classes/:id/enrol', requireRole('instructor'), async (req, res) => {
    const cls = await getTaughtClass(signedIn(req), parseInput(objectId, req.params.id));
    render(res, 200, { cls, message: cls.archivedAt ? ARCHIVED_NO_NEW_STUDENTS : null });
  });

  /** POST /classes/:id/enrol/preview  Read and check the file; every problem by line number, nothing written. */
  router.post('/classes/:id/enrol/preview', requireRole('instructor'), ...previewLimit, readUpload, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const form = parseInput(enrolUploadForm, req.body ?? {});
    const text = req.file ? req.file.buffer.toString('utf8') : form.text;
    const preview = await previewEnrolment(signedIn(req), id, text, maxRows).catch((err: unknown) => refuseArchived(req, res, err));
    if (!preview) return;
    render(res, preview.errors.length ? 400 : 200, { cls: preview.cls, preview, csv: preview.errors.length ? '' : text });
  });

  /**
   * POST /classes/:id/enrol  Enrol everyone the previewed file lists (checked again, whole: a file
   * with any error writes nothing). `format=csv` answers with the reset links as a download.
   */
  router.post('/classes/:id/enrol', requireRole('instructor'), ...applyLimit, async (req: Request, res) => {
    const id = parseInput(objectId, req.params.id);
    const form = parseInput(enrolConfirmForm, req.body ?? {});
    let result: EnrolResult;
    try {
      result = await applyEnrolment(signedIn(req), id, form.csv, maxRows, deps.clock(), deps.config.resetLinkMs);
    } catch (err) {
      if (!(err instanceof EnrolFileError)) return refuseArchived(req, res, err);
      return render(res, 400, { cls: err.preview.cls, preview: err.preview, message: err.message });
    }
    const base = linkBase(req, deps.config.publicUrl);
    const links = result.created.map((c) => ({ ...c, url: base + resetPath(c.token) }));
    if (form.format === 'csv') {
      const csv = toCsv(
        ['Name', 'Email', 'Reset link', 'Link expires (UTC)'],
        links.map((l) => [l.name, l.email, l.url, l.expiresAt]),
      );
      // res.attachment writes an ASCII filename and, for other letters, RFC 5987's filename*.
      res.attachment(`reset-links-${fileNameStem(result.cls.name) || 'class'}.csv`);
      return res.status(201).type('text/csv; charset=utf-8').send(csv);
    }
    // Rendered, not redirected: the links are shown this once and never stored.
    render(res, 201, { cls: result.cls, result: { ...result, links } });
  });

  /** POST /classes/:id/students/:userId/reset-link  A one-time reset link for a student of the class, shown once. */
  router.post('/classes/:id/students/:userId/reset-link', requireRole('instructor'), ...linkLimit, async (req, res) => {
    const id = parseInput(objectId, req.params.id);
    const userId = parseInput(objectId, req.params.userId);
    const link = await studentResetLink(signedIn(req), id, userId, deps.clock(), deps.config.resetLinkMs);
    const cls = await getTaughtClass(signedIn(req), id);
    res.status(201).render('classes/reset-link', {
      title: 'Reset link',
      cls,
      student: { name: link.name, email: link.email },
      url: linkBase(req, deps.config.publicUrl) + resetPath(link.token),
      expiresAt: link.expiresAt,
    });
  });

  return router;
}
