import { Router } from 'express';
import { z } from 'zod';
import type { RouteDeps } from '../app.ts';
import { requireUser } from '../http/guards.ts';
import { parseInput } from '../http/validate.ts';
import { getSource } from './service.ts';
import { highlightQuote } from './highlight.ts';

const sourceQuery = z.object({
  passage: z.string().regex(/^[a-z]+-\d+$/).optional().catch(undefined),
  quote: z.string().max(2000).optional().catch(undefined),
});

/** Routes for source documents: the paper by section, with a quoted span highlighted. */
export function createSourcesRouter(_deps: RouteDeps): Router {
  const router = Router();

  /** GET /sources/:id  The document by section; ?passage=…&quote=… marks a question's evidence. */
  router.get('/sources/:id', requireUser, async (req, res) => {
    const id = parseInput(z.string().regex(/^[a-z0-9-]{1,100}$/, 'Not a source id.'), req.params.id);
    const { passage, quote } = sourceQuery.parse(req.query);
    const source = await getSource(id);
    const sections = source.sections.map((s) => ({
      ...s,
      passages: source.passages
        .filter((p) => p.section === s.slug)
        .map((p) => {
          const pieces = p.id === passage ? highlightQuote(p.text, quote) : [{ text: p.text, mark: false }];
          return { ...p, pieces, focused: p.id === passage, highlighted: pieces.some((x) => x.mark) };
        }),
    }));
    res.render('sources/show', { title: source.title, source, sections, focus: passage ?? null });
  });

  return router;
}
