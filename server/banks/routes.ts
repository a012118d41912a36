import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../app.ts';
import { requireRole, requireUser } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { renderInvalid } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { ValidationError } from '../http/errors.ts';
import { getEditableBank, listBanks, type BankSummary } from './service.ts';
import {
  bankEditor,
  commitImport,
  createBank,
  createQuestion,
  duplicateBank,
  exportBankGift,
  exportBankJson,
  getQuestionForEdit,
  listSources,
  passageOptions,
  previewImport,
  retireQuestion,
  updateBank,
  updateQuestion,
} from './editor-service.ts';
import {
  bankIdParam,
  bankInput,
  importInput,
  newQuestionQuery,
  questionIdParam,
  questionTableQuery,
  questionVersionInput,
} from './schemas.ts';
import { definitionToForm, emptyQuestionForm, readQuestionForm, type QuestionFormValues } from './question-form.ts';
import { DIFFICULTIES, QUESTION_TYPES, TOPICS, TOPIC_LABELS } from '../questions/definition.ts';

/** How the editor names each question type. */
export const TYPE_LABELS: Record<(typeof QUESTION_TYPES)[number], string> = {
  mcq: 'Multiple choice (one correct)',
  multi: 'Multiple choice (several correct)',
  truefalse: 'True or false',
  short: 'Short answer',
  numeric: 'Numeric',
  cloze: 'Fill in the blanks (cloze)',
  matching: 'Matching',
  ordering: 'Ordering',
};

const vocab = { TOPICS, TOPIC_LABELS, QUESTION_TYPES, TYPE_LABELS, DIFFICULTIES };

/** Strings of a form body, for re-rendering a small form as typed. */
function typed(body: unknown, fields: string[]): Record<string, string> {
  const src = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  return Object.fromEntries(fields.map((f) => [f, typeof src[f] === 'string' ? (src[f] as string).slice(0, 2_500_000) : '']));
}

/** Routes of the bank editor: banks, questions, import and export. Editing needs ownership (checked in the service). */
export function createBanksRouter(_deps: RouteDeps): Router {
  const router = Router();
  const editor = requireRole('instructor');
  const bankId = (req: Request) => parseInput(bankIdParam, req.params.id, 'Not a bank id.');
  const questionId = (req: Request) => parseInput(questionIdParam, req.params.questionId, 'Not a question id.');

  const renderList = async (req: Request, res: Response, status = 200, extra: Record<string, unknown> = {}) => {
    const caller = req.user!;
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
      const id = await createBank(req.user!, { ...parsed.data, sourceId: values.sourceId || 'sco-policy-brief' });
      flash(req, `Bank "${parsed.data.title}" created. Add questions, or import them.`);
      res.redirect(`/banks/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await renderList(req, res, 400, { values, errors: err.fields, message: err.message });
    }
  });

  /** POST /banks/:id/copy  Copy a bank the caller can use into a new bank of their own. */
  router.post('/banks/:id/copy', editor, async (req, res) => {
    const id = await duplicateBank(req.user!, bankId(req));
    flash(req, 'The bank was copied into your banks. Its questions are yours to edit.');
    res.redirect(`/banks/${id}`);
  });

  /** GET /banks/:id  The editor: the bank's questions with filters by topic and type. */
  router.get('/banks/:id', editor, async (req, res) => {
    const filter = questionTableQuery.parse(req.query);
    const { bank, rows, retired } = await bankEditor(req.user!, bankId(req), filter);
    res.render('banks/show', {
      title: bank.title,
      bank,
      rows,
      retired,
      filter,
      values: { title: bank.title, description: bank.description },
      errors: {},
      message: null,
      ...vocab,
    });
  });

  /** POST /banks/:id  Change the bank's title and description. */
  router.post('/banks/:id', editor, async (req, res) => {
    const id = bankId(req);
    const parsed = bankInput.safeParse(req.body);
    if (!parsed.success) {
      const { bank, rows, retired } = await bankEditor(req.user!, id, {});
      return renderInvalid(res, 'banks/show', parsed.error, {
        title: bank.title, bank, rows, retired, filter: {}, values: typed(req.body, ['title', 'description']), ...vocab,
      });
    }
    await updateBank(req.user!, id, parsed.data);
    flash(req, 'Bank details saved.');
    res.redirect(`/banks/${id}`);
  });

  const formLocals = async (bank: BankSummary, form: QuestionFormValues, extra: Record<string, unknown>) => ({
    bank,
    form,
    passages: await passageOptions(bank),
    errors: {},
    message: null,
    ...vocab,
    ...extra,
  });

  /** GET /banks/:id/questions/new  The new-question form (?type= preselects a type). */
  router.get('/banks/:id/questions/new', editor, async (req, res) => {
    const { type } = newQuestionQuery.parse(req.query);
    const bank = await getEditableBank(req.user!, bankId(req));
    res.render('banks/question-form', await formLocals(bank, emptyQuestionForm(type), { title: 'New question', question: null }));
  });

  /** POST /banks/:id/questions  Add a question from the form. */
  router.post('/banks/:id/questions', editor, async (req, res) => {
    const id = bankId(req);
    const { values, tooLong } = readQuestionForm(req.body);
    try {
      if (tooLong.length) throw tooLongError(tooLong);
      const q = await createQuestion(req.user!, id, values);
      flash(req, `Question ${q.key} added.`);
      res.redirect(`/banks/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const bank = await getEditableBank(req.user!, id);
      renderInvalid(res, 'banks/question-form', err, await formLocals(bank, values, { title: 'New question', question: null }));
    }
  });

  /** GET /banks/:id/questions/:questionId/edit  The edit form, filled with the question. */
  router.get('/banks/:id/questions/:questionId/edit', editor, async (req, res) => {
    const { bank, question } = await getQuestionForEdit(req.user!, bankId(req), questionId(req));
    res.render('banks/question-form', await formLocals(bank, definitionToForm(question.definition), { title: `Edit ${question.key}`, question }));
  });

  /** POST /banks/:id/questions/:questionId  Save an edit: same key, next version. */
  router.post('/banks/:id/questions/:questionId', editor, async (req, res) => {
    const id = bankId(req);
    const qid = questionId(req);
    const { values, tooLong } = readQuestionForm(req.body);
    const { question } = await getQuestionForEdit(req.user!, id, qid);
    try {
      if (tooLong.length) throw tooLongError(tooLong);
      const { version } = parseInput(questionVersionInput, req.body, 'This form is missing its version: reload the page.');
      const saved = await updateQuestion(req.user!, id, qid, values, version);
      flash(req, `Question ${saved.key} saved (version ${saved.version}).`);
      res.redirect(`/banks/${id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { bank } = await getQuestionForEdit(req.user!, id, qid);
      renderInvalid(res, 'banks/question-form', err, await formLocals(bank, values, { title: `Edit ${question.key}`, question }));
    }
  });

  /** POST /banks/:id/questions/:questionId/retire  Retire (soft-delete) a question. */
  router.post('/banks/:id/questions/:questionId/retire', editor, async (req, res) => {
    const id = bankId(req);
    const q = await retireQuestion(req.user!, id, questionId(req));
    flash(req, `Question ${q.key} retired: it no longer appears in quizzes or studies; past attempts keep it.`);
    res.redirect(`/banks/${id}`);
  });

  const importLocals = async (bank: BankSummary, extra: Record<string, unknown>) => ({
    title: `Import into ${bank.title}`,
    bank,
    passages: await passageOptions(bank),
    values: { format: 'gift', text: '', defaultTopic: '', defaultPassageId: '', defaultQuote: '' },
    preview: null,
    errors: {},
    message: null,
    ...vocab,
    ...extra,
  });

  /** GET /banks/:id/import  The import form (paste JSON or GIFT, or pick a file). */
  router.get('/banks/:id/import', editor, async (req, res) => {
    const bank = await getEditableBank(req.user!, bankId(req));
    res.render('banks/import', await importLocals(bank, {}));
  });

  /** POST /banks/:id/import  Preview an import; with commit=1, import all of it or nothing. */
  router.post('/banks/:id/import', editor, async (req, res) => {
    const id = bankId(req);
    const bank = await getEditableBank(req.user!, id);
    const values = typed(req.body, ['format', 'text', 'defaultTopic', 'defaultPassageId', 'defaultQuote']);
    const parsed = importInput.safeParse(req.body);
    if (!parsed.success) return renderInvalid(res, 'banks/import', parsed.error, await importLocals(bank, { values }));
    try {
      if (parsed.data.commit) {
        const n = await commitImport(req.user!, id, parsed.data);
        flash(req, `Imported ${n} question${n === 1 ? '' : 's'}.`);
        return res.redirect(`/banks/${id}`);
      }
      const preview = await previewImport(req.user!, id, parsed.data);
      res.status(preview.errors.length ? 400 : 200).render('banks/import', await importLocals(bank, { values, preview }));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // A refused commit shows the preview again, with every error.
      const preview = parsed.data.commit && !Object.keys(err.fields).length ? await previewImport(req.user!, id, parsed.data).catch(() => null) : null;
      renderInvalid(res, 'banks/import', err, await importLocals(bank, { values, preview }));
    }
  });

  /** GET /banks/:id/export.json  Download the bank as our JSON bank file (answers included). */
  router.get('/banks/:id/export.json', editor, async (req, res) => {
    const { filename, file } = await exportBankJson(req.user!, bankId(req));
    res.attachment(filename).type('application/json').send(`${JSON.stringify(file, null, 2)}\n`);
  });

  /** GET /banks/:id/export.gift  Download the bank as GIFT; questions GIFT cannot hold are listed at the top. */
  router.get('/banks/:id/export.gift', editor, async (req, res) => {
    const { filename, text } = await exportBankGift(req.user!, bankId(req));
    res.attachment(filename).type('text/plain; charset=utf-8').send(text);
  });

  return router;
}

function tooLongError(fields: string[]): ValidationError {
  return new ValidationError(
    'Some fields are far too long.',
    Object.fromEntries(fields.map((f) => [f, 'This is far too long: shorten it.'])),
  );
}
