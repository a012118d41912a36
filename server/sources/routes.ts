import { Router, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { ForbiddenError, ValidationError } from '../http/errors.ts';
import { changedPassages, getSource, listSources } from './service.ts';
import { canReadSource, readSourceFileOffThread, storeSource, storeVersion, versionHeadings } from './add-source.ts';
import { formatOf, type SourceFormat } from './extract/index.ts';
import { highlightQuote } from './highlight.ts';
import { createPendingSources } from './pending.ts';
import { errorCode } from '../object-shape.ts';

const sourceQuery = z.object({
  passage: z
    .string()
    .regex(/^[a-z0-9-]+-\d+$/)
    .optional()
    .catch(undefined),
  quote: z.string().max(2000).optional().catch(undefined),
});
const newSourceForm = z.object({
  title: z.string().max(200).optional().default(''),
  description: z.string().max(1000).optional().default(''),
  text: z.string().max(5_000_000).optional().default(''),
});
const saveForm = z.object({ pending: z.uuid('That preview has expired.'), title: z.string().max(200).default('') });

/** Routes for source documents: the list, adding one (preview, then save), and a document by section. */
export function createSourcesRouter(deps: RouteDeps): Router {
  const router = Router();
  const limits = deps.config.sourceLimits;
  const pending = createPendingSources();
  // Reading progress of uploads in flight, by the job id the page's script made (owner-bound, bounded).
  const reading = new LRUCache<string, { ownerId: string; done: number; total: number }>({ max: 200, ttl: 10 * 60_000 });
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: limits.maxBytes, files: 1, fields: 10, fieldSize: 5_000_000 } });
  const uploadRefusal = (err: unknown): string =>
    errorCode(err) === 'LIMIT_FILE_SIZE'
      ? `This file is larger than ${(limits.maxBytes / 1048576).toFixed(1)} MB, the most Lectern takes.`
      : 'The upload could not be read; choose one file and try again.';
  // A multer refusal (too large, too many files) is shown beside the file field, not as a 500.
  const readUpload: RequestHandler = (req, res, next) =>
    upload.single('file')(req, res, (err: unknown) => {
      if (!err) return next();
      const message = uploadRefusal(err);
      res.status(400).render('sources/new', { title: 'Add a source', values: {}, errors: { file: message }, message, limits });
    });
  // The same for a new version, shown on the source's own page beside its upload field.
  const readVersionUpload: RequestHandler = (req, res, next) =>
    upload.single('file')(req, res, (err: unknown) => {
      if (!err) return next();
      void renderSource(req, res, { file: uploadRefusal(err) }).catch(next);
    });

  /** The source's page (the document by section; its versions for the owner), with `errors` beside the upload field. */
  async function renderSource(req: Request, res: Response, errors: Record<string, string> = {}): Promise<void> {
    const id = parseInput(z.string().regex(/^[a-z0-9-]{1,100}$/, 'Not a source id.'), req.params.id);
    const { passage, quote } = sourceQuery.parse(req.query);
    const caller = signedIn(req);
    const source = await getSource(id);
    if (!canReadSource(caller, source, source.ownerId !== null && (await deps.sourcesStudiedBy(caller)).includes(id)))
      throw new ForbiddenError('This source belongs to another instructor.');
    const sections = source.sections.map((s) => ({
      ...s,
      passages: source.passages
        .filter((p) => p.section === s.slug)
        .map((p) => {
          const pieces = p.id === passage ? highlightQuote(p.text, quote) : [{ text: p.text, mark: false }];
          return { ...p, pieces, focused: p.id === passage, highlighted: pieces.some((x) => x.mark) };
        }),
    }));
    const owns = source.ownerId !== null && (source.ownerId === caller.id || caller.role === 'admin');
    const status = Object.keys(errors).length ? 400 : 200;
    res
      .status(status)
      .render('sources/show', { title: source.title, source, sections, focus: passage ?? null, owns, changes: owns ? await changedPassages(id) : [], errors });
  }

  /** GET /sources  The sources the caller may read. */
  router.get('/sources', requireUser, async (req, res) => {
    const caller = signedIn(req);
    const sources = await listSources(caller, await deps.sourcesStudiedBy(caller));
    res.render('sources/index', { title: 'Sources', sources, mayAdd: caller.role !== 'student' });
  });

  /** GET /sources/new  Paste text or upload a file. */
  router.get('/sources/new', requireRole('instructor'), (_req, res) => {
    res.render('sources/new', { title: 'Add a source', values: {}, errors: {}, message: null, limits });
  });

  /** POST /sources/new  Reads the document and shows the preview; nothing is stored yet. */
  router.post('/sources/new', requireRole('instructor'), readUpload, async (req, res) => {
    const caller = signedIn(req);
    const form = newSourceForm.parse(req.body ?? {});
    const file = req.file;
    const locals = { title: 'Add a source', values: form, limits };
    try {
      let format: SourceFormat;
      let bytes: Uint8Array;
      if (file && file.size > 0) {
        format = formatOf(file.originalname);
        bytes = new Uint8Array(file.buffer);
      } else if (form.text.trim()) {
        format = 'text';
        bytes = new TextEncoder().encode(form.text);
      } else throw new ValidationError('Paste the text or choose a file.', { text: 'Paste the text or choose a file.' });
      const job = typeof req.query.job === 'string' && /^[A-Za-z0-9.-]{8,64}$/.test(req.query.job) ? req.query.job : null;
      const doc = await readSourceFileOffThread({ format, bytes }, limits, (done, total) => {
        if (job) reading.set(job, { ownerId: caller.id, done, total });
      });
      const title = form.title.trim() || doc.title || (file ? file.originalname.replace(/\.[a-z0-9]+$/i, '') : '');
      const id = pending.put({ ownerId: caller.id, format, title, description: form.description, doc });
      const counts = doc.sections.map((s) => ({ ...s, count: doc.passages.filter((p) => p.section === s.slug).length }));
      res.render('sources/preview', { title: 'Preview the source', pendingId: id, sourceTitle: title, doc, counts, errors: {}, message: null });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      res.status(400).render('sources/new', { ...locals, errors: err.fields, message: err.message });
    }
  });

  /** GET /sources/new/progress/:job  Pages read so far of an upload being read (JSON, for the form's script). */
  router.get('/sources/new/progress/:job', requireRole('instructor'), (req, res) => {
    const p = reading.get(String(req.params.job));
    if (!p || p.ownerId !== signedIn(req).id) return void res.json({ done: 0, total: 0 });
    res.json({ done: p.done, total: p.total });
  });

  /** POST /sources/new/save  Stores the previewed document and opens its page. */
  router.post('/sources/new/save', requireRole('instructor'), async (req, res) => {
    const caller = signedIn(req);
    const form = saveForm.safeParse(req.body);
    const p = form.success ? pending.take(form.data.pending, caller.id) : undefined;
    if (!p) {
      res.status(400).render('sources/new', {
        title: 'Add a source',
        values: {},
        errors: { file: 'That preview has expired; read the document again.' },
        message: 'That preview has expired; read the document again.',
        limits,
      });
      return;
    }
    const id = await storeSource(caller, p.doc, { format: p.format, title: form.data!.title || p.title, description: p.description });
    res.redirect(303, `/sources/${id}`);
  });

  /** POST /sources/:id/versions  A new version of the document: ids carried over, changes listed on its page. */
  router.post('/sources/:id/versions', requireRole('instructor'), readVersionUpload, async (req, res) => {
    const id = parseInput(z.string().regex(/^[a-z0-9-]{1,100}$/, 'Not a source id.'), req.params.id);
    const caller = signedIn(req);
    const source = await getSource(id);
    if (source.ownerId !== caller.id && caller.role !== 'admin') throw new ForbiddenError('Only the owner of a source uploads new versions of it.');
    const file = req.file;
    try {
      if (!file || !file.size) throw new ValidationError('Choose the file of the new version.', { file: 'Choose the file of the new version.' });
      const format = formatOf(file.originalname);
      const doc = await readSourceFileOffThread({ format, bytes: new Uint8Array(file.buffer), headingSlugs: await versionHeadings(id) }, limits);
      await storeVersion(caller, id, doc, format);
    } catch (err) {
      // A file Lectern cannot read is said beside the upload field; the stored version is untouched.
      if (!(err instanceof ValidationError)) throw err;
      return renderSource(req, res, { file: err.fields.file ?? err.message });
    }
    res.redirect(303, `/sources/${id}#changes`);
  });

  /** GET /sources/:id  The document by section; ?passage=…&quote=… marks a question's evidence. */
  router.get('/sources/:id', requireUser, (req, res) => renderSource(req, res));

  return router;
}
