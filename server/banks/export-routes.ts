import { Router, type Request } from 'express';
import { requireRole, signedIn } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { exportBankGift, exportBankJson } from './import-export-service.ts';
import { exportBankApkg, exportBankText } from './format-exports.ts';
import { bankIdParam } from './schemas.ts';

/** Routes that download a bank in each format it leaves in (its editors only; checked in the services). */
export function createBankExportRouter(): Router {
  const router = Router();
  const editor = requireRole('instructor');
  const bankId = (req: Request) => parseInput(bankIdParam, req.params.id, 'Not a bank id.');

  /** GET /banks/:id/export.json  Download the bank as our JSON bank file (answers included). */
  router.get('/banks/:id/export.json', editor, async (req, res) => {
    const { filename, file } = await exportBankJson(signedIn(req), bankId(req));
    res
      .attachment(filename)
      .type('application/json')
      .send(`${JSON.stringify(file, null, 2)}\n`);
  });

  /** GET /banks/:id/export.gift  Download the bank as GIFT; questions GIFT cannot hold are listed at the top. */
  router.get('/banks/:id/export.gift', editor, async (req, res) => {
    const { filename, text } = await exportBankGift(signedIn(req), bankId(req));
    res.attachment(filename).type('text/plain; charset=utf-8').send(text);
  });

  /** GET /banks/:id/export.anki.txt, .quizlet.txt, .csv, .moodle.xml  Download the bank as Anki text, Quizlet text (cards; other questions as prompt and answer), Lectern's CSV or Moodle XML. */
  for (const [format, path, type] of [
    ['anki', 'anki.txt', 'text/plain'],
    ['quizlet', 'quizlet.txt', 'text/plain'],
    ['csv', 'csv', 'text/csv'],
    ['moodle', 'moodle.xml', 'application/xml'],
  ] as const) {
    router.get(`/banks/:id/export.${path}`, editor, async (req, res) => {
      const { filename, text } = await exportBankText(signedIn(req), bankId(req), format);
      res.attachment(filename).type(`${type}; charset=utf-8`).send(text);
    });
  }

  /** GET /banks/:id/export.apkg  Download the bank as an Anki deck package that Anki opens (Import, or a double-click). */
  router.get('/banks/:id/export.apkg', editor, async (req, res) => {
    const { filename, bytes } = await exportBankApkg(signedIn(req), bankId(req));
    res
      .attachment(filename)
      .type('application/apkg')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  return router;
}
