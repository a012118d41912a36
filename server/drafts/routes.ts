import { Router, type Request, type Response } from 'express';
import type { RouteDeps } from '../http/route-deps.ts';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { renderInvalid } from '../http/forms.ts';
import { flash } from '../http/flash.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { passageOptions, questionFormVocab, readQuestionForm, type BankSummary, type QuestionFormValues } from '../banks/index.ts';
import { answerKeyText } from '../questions/index.ts';
import { createDraftRuns } from './runs.ts';
import { draftableSource, draftQueue, startDrafting } from './queue-service.ts';
import { acceptDraft, acceptEdited, acceptTop, draftForEdit, MAX_ACCEPT_TOP, rejectDraft } from './accept-service.ts';
import { mapTopics } from './fingerprint.ts';
import { acceptTopInput, bankChoice, draftIdParam, queueQuery, sourceIdParam, startInput } from './schemas.ts';
import type { DraftDoc } from './model.ts';

const KIND_LABELS: Record<string, string> = {
  cloze: 'Fill in the blanks',
  short: 'Short answer',
  numeric: 'Numeric',
  mcq: 'Multiple choice',
  truefalse: 'True or false',
  matching: 'Matching',
  ordering: 'Ordering',
};

/** A draft as the queue shows it: the question, its key, and its topics in the chosen bank's names. */
function draftView(d: DraftDoc, bank: BankSummary | null) {
  const mapped = bank ? mapTopics(d.question.topics, bank.topics) : [];
  const names = bank ? mapped.map((s) => bank.topics.find((t) => t.slug === s)!.name) : [];
  return {
    id: String(d._id),
    kind: KIND_LABELS[d.kind] ?? d.kind,
    question: d.question,
    keyText: answerKeyText(d.question),
    topics: names.length ? names : d.question.topics,
    topicsMapped: names.length > 0,
    flags: d.flags,
    score: d.score,
  };
}

/** Routes of the approval queue: draft a source, watch the run, accept (as is, edited, the top N) or reject drafts. */
export function createDraftsRouter(deps: RouteDeps): Router {
  const router = Router();
  const runs = createDraftRuns();
  const author = requireRole('instructor');
  const sourceId = (req: Request) => parseInput(sourceIdParam, req.params.id, 'Not a source id.');
  const draftId = (req: Request) => parseInput(draftIdParam, req.params.draftId, 'Not a draft id.');
  const queueUrl = (id: string, bankId?: string) => `/sources/${encodeURIComponent(id)}/drafts${bankId ? `?bank=${bankId}` : ''}`;

  /** GET /sources/:id/drafts  The queue: pending drafts by section beside their passages; a run's progress. */
  router.get('/sources/:id/drafts', author, async (req, res) => {
    const id = sourceId(req);
    const { bank: wanted } = queueQuery.parse(req.query);
    const { source, groups, counts, banks } = await draftQueue(signedIn(req), id);
    const bank = banks.find((b) => b.id === wanted) ?? banks[0] ?? null;
    const run = runs.status(id) ?? null;
    res.render('drafts/queue', {
      title: `Drafts: ${source.title}`,
      source,
      counts,
      banks,
      bank,
      run,
      maxTop: Math.min(MAX_ACCEPT_TOP, counts.pending),
      groups: groups.map((g) => ({ ...g, passages: g.passages.map((p) => ({ ...p, drafts: p.drafts.map((d) => draftView(d, bank)) })) })),
    });
  });

  /** GET /sources/:id/drafts/status  The latest run's progress (JSON, for the queue page's script and tests). */
  router.get('/sources/:id/drafts/status', author, async (req, res) => {
    const id = sourceId(req);
    await draftableSource(signedIn(req), id);
    const run = runs.status(id);
    res.json(
      run ? { state: run.state, done: run.done, of: run.of, added: run.added, message: run.message } : { state: 'idle', done: 0, of: 0, added: 0, message: '' },
    );
  });

  /** POST /sources/:id/drafts  Draft the whole source or the sections ticked, off the request thread. */
  router.post('/sources/:id/drafts', author, async (req, res) => {
    const id = sourceId(req);
    const { sections } = parseInput(startInput, req.body ?? {}, 'Choose sections of this source.');
    try {
      await startDrafting(signedIn(req), id, sections, runs, deps.config.draftLimits, (err) => deps.logger.error({ err, sourceId: id }, 'drafting failed'));
    } catch (err) {
      // A second click while the source is being drafted shows the run in flight.
      if (!(err instanceof ConflictError)) throw err;
      flash(req, err.message);
    }
    res.redirect(303, queueUrl(id));
  });

  /** POST /sources/:id/drafts/accept-top  Accept the first N drafts of the queue into a bank. */
  router.post('/sources/:id/drafts/accept-top', author, async (req, res) => {
    const id = sourceId(req);
    const { bankId, n } = parseInput(acceptTopInput, req.body, 'Choose a bank and how many drafts to accept.');
    const { accepted, skipped } = await acceptTop(signedIn(req), id, n, bankId);
    flash(
      req,
      `Accepted ${accepted} draft${accepted === 1 ? '' : 's'} into the bank${skipped ? `; ${skipped} could not be accepted as they are and wait in the queue (edit them)` : ''}.`,
    );
    res.redirect(303, queueUrl(id, bankId));
  });

  /** POST /sources/:id/drafts/:draftId/accept  Accept one draft, as it is, into a bank. */
  router.post('/sources/:id/drafts/:draftId/accept', author, async (req, res) => {
    const id = sourceId(req);
    const { bankId } = parseInput(bankChoice, req.body, 'Choose a bank.');
    const q = await acceptDraft(signedIn(req), id, draftId(req), bankId);
    flash(req, `Accepted as question ${q.key} of the bank.`);
    res.redirect(303, queueUrl(id, bankId));
  });

  /** POST /sources/:id/drafts/:draftId/reject  Reject a draft: later runs do not offer it again. */
  router.post('/sources/:id/drafts/:draftId/reject', author, async (req, res) => {
    const id = sourceId(req);
    await rejectDraft(signedIn(req), id, draftId(req));
    const bank = bankChoice.safeParse(req.body);
    flash(req, 'Draft rejected: it will not be drafted again.');
    res.redirect(303, queueUrl(id, bank.success ? bank.data.bankId : undefined));
  });

  const formLocals = async (id: string, did: string, bank: BankSummary, form: QuestionFormValues) => ({
    title: 'Edit the draft',
    bank,
    form,
    question: null,
    passages: await passageOptions(bank),
    errors: {},
    message: null,
    flags: [],
    formAction: `/sources/${encodeURIComponent(id)}/drafts/${did}/edit`,
    formHidden: { bankId: bank.id },
    backLink: { href: queueUrl(id, bank.id), text: 'The drafts queue' },
    ...questionFormVocab(bank),
  });

  /** GET /sources/:id/drafts/:draftId/edit?bank=  The bank's question form, filled with the draft. */
  router.get('/sources/:id/drafts/:draftId/edit', author, async (req: Request, res: Response) => {
    const id = sourceId(req);
    const did = draftId(req);
    const { bankId } = parseInput(bankChoice, { bankId: req.query.bank }, 'Choose a bank to edit the draft for.');
    const { bank, form } = await draftForEdit(signedIn(req), id, did, bankId);
    res.render('banks/question-form', await formLocals(id, did, bank, form));
  });

  /** POST /sources/:id/drafts/:draftId/edit  Save the edited draft as a question of the bank; the draft is accepted. */
  router.post('/sources/:id/drafts/:draftId/edit', author, async (req, res) => {
    const id = sourceId(req);
    const did = draftId(req);
    const { bankId } = parseInput(bankChoice, req.body, 'Choose a bank.');
    const { values, tooLong } = readQuestionForm(req.body);
    try {
      if (tooLong.length)
        throw new ValidationError('Some fields are far too long.', Object.fromEntries(tooLong.map((f) => [f, 'This is far too long: shorten it.'])));
      const q = await acceptEdited(signedIn(req), id, did, bankId, values);
      flash(req, `The edited draft is question ${q.key} of the bank.`);
      res.redirect(303, queueUrl(id, bankId));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { bank } = await draftForEdit(signedIn(req), id, did, bankId);
      renderInvalid(res, 'banks/question-form', err, await formLocals(id, did, bank, values));
    }
  });

  return router;
}
