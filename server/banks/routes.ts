import { Router, type Request, type Response } from 'express';
import { fieldsOf } from '../http/body.ts';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, requireUser, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { renderInvalid } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { getEditableBank, listBanks, type BankSummary } from './service.ts';
import {
  bankEditor,
  createBank,
  createQuestion,
  duplicateBank,
  getQuestionForEdit,
  listSources,
  passageOptions,
  retireQuestion,
  setBankSources,
  updateBank,
  updateQuestion,
} from './editor-service.ts';
import { commitImport, previewImport } from './import-export-service.ts';
import { CSV_TEMPLATE } from './formats/csv/columns.ts';
import {
  bankIdParam,
  bankInput,
  bankSourcesInput,
  importInput,
  newQuestionQuery,
  questionIdParam,
  questionTableQuery,
  questionVersionInput,
} from './schemas.ts';
import { bankQuality, questionQuality } from './quality-service.ts';
import { createBankTopicsRouter } from './topic-routes.ts';
import { createBankSharingRouter } from './sharing-routes.ts';
import { createBankExportRouter } from './export-routes.ts';
import { definitionToForm, emptyQuestionForm, readQuestionForm, type QuestionFormValues } from './question-form.ts';
import { topicVocab, vocab } from './question-form-view.ts';
import { answerKeyText, gradeResponse, parseResponse, presentQuestion } from '../questions/index.ts';

export { TYPE_LABELS, LEVEL_LABELS } from './question-form-view.ts';

/** Strings of a form body, for re-rendering a small form as typed. */
function typed(body: unknown, fields: string[]): Record<string, string> {
  const src = fieldsOf(body);
  return Object.fromEntries(
    fields.map((f) => {
      const value = src[f];
      return [f, typeof value === 'string' ? value.slice(0, 2_500_000) : ''];
    }),
  );
}

/** A preview that cannot be made from this input is left out; any other failure is an error. */
const noPreview = (err: unknown) => {
  if (err instanceof ValidationError) return null;
  throw err;
};

/** Routes of the bank editor: banks, questions, import and export. Editing needs ownership (checked in the service). */
export function createBanksRouter(deps: RouteDeps): Router {
  const router = Router();
  router.use(createBankTopicsRouter());
  router.use(createBankSharingRouter(deps));
  router.use(createBankExportRouter());
  const editor = requireRole('instructor');

  /** GET /banks/csv-template.csv  The CSV of questions template: one row of each type (docs/formats.md documents the columns). */
  router.get('/banks/csv-template.csv', editor, (_req, res) => {
    res.attachment('lectern-questions-template.csv').type('text/csv; charset=utf-8').send(CSV_TEMPLATE);
  });
  const bankId = (req: Request) => parseInput(bankIdParam, req.params.id, 'Not a bank id.');
  const questionId = (req: Request) => parseInput(questionIdParam, req.params.questionId, 'Not a question id.');

  const renderList = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const caller = signedIn(req);
    const banks = await listBanks(caller);
    const author = caller.role !== 'student';
    res.status(status).render('banks/index', {
      title: 'Question banks',
      banks,
      author,
      sources: author ? await listSources() : [],
      values: { title: '', description: '', sourceId: '' },
      errors: {},
      message: null,
      ...extra,
    });
  };

  /** GET /banks  The banks the caller can use; authors also get "new bank" and "copy". No answers here. */
  router.get('/banks', requireUser, async (req, res) => {
    await renderList(req, res);
  });

  /** POST /banks  Create an empty bank owned by the caller. */
  router.post('/banks', editor, async (req, res) => {
    const values = typed(req.body, ['title', 'description', 'sourceId']);
    const parsed = bankInput.safeParse(req.body);
    if (!parsed.success) {
      const fields: Record<string, string> = {};
      for (const i of parsed.error.issues) fields[String(i.path[0])] ??= i.message;
      return renderList(req, res, 400, { values, errors: fields, message: 'Please correct the fields marked below.' });
    }
    try {
      const id = await createBank(signedIn(req), { ...parsed.data, sourceId: values.sourceId ?? '' });
      flash(req, `Bank "${parsed.data.title}" created. Add questions, or import them.`);
      res.redirect(`/banks/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderList(req, res, 400, { values, errors: err.fields, message: err.message });
    }
  });

  /** POST /banks/:id/copy  Copy a bank the caller can use into a new bank of their own. */
  router.post('/banks/:id/copy', editor, async (req, res) => {
    const id = await duplicateBank(signedIn(req), bankId(req));
    flash(req, 'The bank was copied into your banks. Its questions are yours to edit.');
    res.redirect(`/banks/${id}`);
  });

  /** GET /banks/:id  The editor: the bank's questions with filters by topic and type. */
  router.get('/banks/:id', editor, async (req, res) => {
    const filter = questionTableQuery.parse(req.query);
    const { bank, rows, retired } = await bankEditor(signedIn(req), bankId(req), filter);
    res.render('banks/show', {
      title: bank.title,
      bank,
      rows,
      retired,
      filter,
      values: { title: bank.title, description: bank.description },
      errors: {},
      message: null,
      sources: await listSources(),
      ...vocab,
      ...topicVocab(bank),
    });
  });

  /** POST /banks/:id/sources  Set the sources the bank is built on (its first source stays). */
  router.post('/banks/:id/sources', editor, async (req, res) => {
    const id = bankId(req);
    const { sourceIds } = parseInput(bankSourcesInput, req.body, 'Choose sources from the list.');
    try {
      const ids = await setBankSources(signedIn(req), id, sourceIds);
      flash(req, `The bank is built on ${ids.length} source${ids.length === 1 ? '' : 's'}.`);
      res.redirect(303, `/banks/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { bank, rows, retired } = await bankEditor(signedIn(req), id, {});
      renderInvalid(res, 'banks/show', err, {
        title: bank.title,
        bank,
        rows,
        retired,
        filter: {},
        values: { title: bank.title, description: bank.description },
        sources: await listSources(),
        ...vocab,
        ...topicVocab(bank),
      });
    }
  });

  /** POST /banks/:id  Change the bank's title and description. */
  router.post('/banks/:id', editor, async (req, res) => {
    const id = bankId(req);
    const parsed = bankInput.safeParse(req.body);
    if (!parsed.success) {
      const { bank, rows, retired } = await bankEditor(signedIn(req), id, {});
      return renderInvalid(res, 'banks/show', parsed.error, {
        title: bank.title,
        bank,
        rows,
        retired,
        filter: {},
        values: typed(req.body, ['title', 'description']),
        sources: await listSources(),
        ...vocab,
        ...topicVocab(bank),
      });
    }
    await updateBank(signedIn(req), id, parsed.data);
    flash(req, 'Bank details saved.');
    res.redirect(`/banks/${id}`);
  });

  /** GET /banks/:id/quality  The item-quality report: bank figures and every flag, linked to its question. */
  router.get('/banks/:id/quality', editor, async (req, res) => {
    const { bank, report, questions } = await bankQuality(signedIn(req), bankId(req));
    res.render('banks/quality', { title: `Quality report: ${bank.title}`, bank, report, questions, ...vocab, ...topicVocab(bank) });
  });

  const formLocals = async (bank: BankSummary, form: QuestionFormValues, extra: Record<string, unknown>) => ({
    bank,
    form,
    passages: await passageOptions(bank),
    errors: {},
    message: null,
    flags: [],
    ...vocab,
    ...topicVocab(bank),
    ...extra,
  });

  /** GET /banks/:id/questions/new  The new-question form (?type= preselects a type). */
  router.get('/banks/:id/questions/new', editor, async (req, res) => {
    const { type } = newQuestionQuery.parse(req.query);
    const bank = await getEditableBank(signedIn(req), bankId(req));
    res.render('banks/question-form', await formLocals(bank, emptyQuestionForm(type), { title: 'New question', question: null }));
  });

  /** POST /banks/:id/questions  Add a question from the form. */
  router.post('/banks/:id/questions', editor, async (req, res) => {
    const id = bankId(req);
    const { values, tooLong } = readQuestionForm(req.body);
    try {
      if (tooLong.length) throw tooLongError(tooLong);
      const q = await createQuestion(signedIn(req), id, values);
      flash(req, `Question ${q.key} added. Its quality checks are below.`);
      res.redirect(`/banks/${id}/questions/${q.id}/edit`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const bank = await getEditableBank(signedIn(req), id);
      renderInvalid(res, 'banks/question-form', err, await formLocals(bank, values, { title: 'New question', question: null }));
    }
  });

  /** GET /banks/:id/questions/:questionId/edit  The edit form, filled with the question, with its quality flags. */
  router.get('/banks/:id/questions/:questionId/edit', editor, async (req, res) => {
    const { bank, question } = await getQuestionForEdit(signedIn(req), bankId(req), questionId(req));
    const flags = await questionQuality(bank, question.key);
    res.render('banks/question-form', await formLocals(bank, definitionToForm(question.definition), { title: `Edit ${question.key}`, question, flags }));
  });

  /** GET /banks/:id/questions/:questionId/preview  The question as learners see it (choices in authored order). */
  router.get('/banks/:id/questions/:questionId/preview', editor, async (req, res) => {
    const { bank, question } = await getQuestionForEdit(signedIn(req), bankId(req), questionId(req));
    res.render('banks/question-preview', {
      title: `Preview ${question.key}`,
      bank,
      question,
      presented: presentQuestion(question.definition),
      response: null,
      result: null,
      keyText: null,
      message: null,
    });
  });

  /** POST /banks/:id/questions/:questionId/preview  Grade an answer to the preview and show the feedback a learner gets; nothing is stored. */
  router.post('/banks/:id/questions/:questionId/preview', editor, async (req, res) => {
    const { bank, question } = await getQuestionForEdit(signedIn(req), bankId(req), questionId(req));
    const def = question.definition;
    const parsed = parseResponse(def, req.body);
    const locals = { title: `Preview ${question.key}`, bank, question, presented: presentQuestion(def) };
    if (!parsed.ok) {
      res.status(400).render('banks/question-preview', {
        ...locals,
        response: null,
        result: null,
        keyText: null,
        message: `That answer could not be read: ${parsed.error}.`,
      });
      return;
    }
    res.render('banks/question-preview', {
      ...locals,
      response: parsed.response,
      result: gradeResponse(def, parsed.response),
      keyText: answerKeyText(def),
      message: null,
    });
  });

  /** POST /banks/:id/questions/:questionId  Save an edit: same key, next version. */
  router.post('/banks/:id/questions/:questionId', editor, async (req, res) => {
    const id = bankId(req);
    const qid = questionId(req);
    const { values, tooLong } = readQuestionForm(req.body);
    const { question } = await getQuestionForEdit(signedIn(req), id, qid);
    try {
      if (tooLong.length) throw tooLongError(tooLong);
      const { version } = parseInput(questionVersionInput, req.body, 'This form is missing its version: reload the page.');
      const saved = await updateQuestion(signedIn(req), id, qid, values, version);
      flash(req, `Question ${saved.key} saved (version ${saved.version}). Its quality checks are below.`);
      res.redirect(`/banks/${id}/questions/${saved.id}/edit`);
    } catch (err) {
      if (!(err instanceof ValidationError) && !(err instanceof ConflictError)) throw err;
      const { bank, question: current } = await getQuestionForEdit(signedIn(req), id, qid);
      const locals = await formLocals(bank, values, { title: `Edit ${question.key}`, question: current });
      if (err instanceof ConflictError) {
        // A stale edit keeps this editor's text on the page; the form now carries the newer version.
        res.status(409).render('banks/question-form', {
          ...locals,
          errors: {},
          message: `Someone else saved this question (now version ${current.version}) after you opened it, so your change was not saved. What you wrote is below: save it to replace their version, or open the question in another tab to compare first.`,
        });
        return;
      }
      renderInvalid(res, 'banks/question-form', err, locals);
    }
  });

  /** POST /banks/:id/questions/:questionId/retire  Retire (soft-delete) a question. */
  router.post('/banks/:id/questions/:questionId/retire', editor, async (req, res) => {
    const id = bankId(req);
    const q = await retireQuestion(signedIn(req), id, questionId(req));
    flash(req, `Question ${q.key} retired: it no longer appears in quizzes or studies; past attempts keep it.`);
    res.redirect(`/banks/${id}`);
  });

  const importLocals = async (bank: BankSummary, extra: Record<string, unknown>) => ({
    title: `Import into ${bank.title}`,
    bank,
    // Defaults for plain GIFT cite the bank's first source.
    passages: (await passageOptions(bank)).filter((p) => !p.id.includes('#')),
    values: { format: 'gift', text: '', defaultTopic: '', defaultPassageId: '', defaultQuote: '', quizletTerm: 'tab', quizletRow: 'newline' },
    preview: null,
    errors: {},
    message: null,
    ...vocab,
    ...topicVocab(bank),
    ...extra,
  });

  /** GET /banks/:id/import  The import form (paste JSON or GIFT, or pick a file). */
  router.get('/banks/:id/import', editor, async (req, res) => {
    const bank = await getEditableBank(signedIn(req), bankId(req));
    res.render('banks/import', await importLocals(bank, {}));
  });

  /** POST /banks/:id/import  Preview an import; with commit=1, import all of it or nothing. */
  router.post('/banks/:id/import', editor, async (req, res) => {
    const id = bankId(req);
    const bank = await getEditableBank(signedIn(req), id);
    const values = typed(req.body, ['format', 'text', 'defaultTopic', 'defaultPassageId', 'defaultQuote', 'quizletTerm', 'quizletRow']);
    const parsed = importInput.safeParse(req.body);
    if (!parsed.success) return renderInvalid(res, 'banks/import', parsed.error, await importLocals(bank, { values }));
    try {
      if (parsed.data.commit) {
        const { imported: n, skipped } = await commitImport(signedIn(req), id, parsed.data);
        flash(req, `Imported ${n} question${n === 1 ? '' : 's'}${skipped ? `; skipped ${skipped} that could not be imported` : ''}.`);
        return res.redirect(`/banks/${id}`);
      }
      const preview = await previewImport(signedIn(req), id, parsed.data);
      res.status(preview.errors.length ? 400 : 200).render('banks/import', await importLocals(bank, { values, preview }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A refused commit shows the preview again, with every error.
      const preview = parsed.data.commit && !Object.keys(err.fields).length ? await previewImport(signedIn(req), id, parsed.data).catch(noPreview) : null;
      renderInvalid(res, 'banks/import', err, await importLocals(bank, { values, preview }));
    }
  });

  return router;
}

function tooLongError(fields: string[]): ValidationError {
  return new ValidationError('Some fields are far too long.', Object.fromEntries(fields.map((f) => [f, 'This is far too long: shorten it.'])));
}
