// The walls between feature folders, as `no-restricted-imports` rules (see docs/architecture.md).
//
// FEATURE_LAYERS lists the feature folders of server/ from the bottom up: a feature may import
// the features listed before it, never one listed after it. That order makes a cycle between
// feature folders impossible (a cycle needs one import going up), and each violation is
// reported on the import line that causes it. A feature's model (model.ts, *-model.ts) is
// private to its folder: other features call the owner's index.ts.

/** Feature folders, lowest first. A new feature goes above everything it imports. */
export const FEATURE_LAYERS = [
  'questions',
  'sources',
  'accounts',
  'classes',
  'banks',
  'drafts',
  'responses',
  'practice',
  'study',
  'quizzes',
  'progress',
  'home',
];

/** Modules shared by every feature (the edge plumbing); they must not import a feature. */
export const SHARED = ['http', 'config.ts', 'logger.ts', 'db-batch.ts', 'object-ids.ts', 'formatting', 'mongo-errors.ts', 'slug.ts'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names) => names.map(escape).join('|');

/** An import of another feature's Mongoose model. */
function modelPattern(others) {
  return {
    regex: `^(\\.\\./)+(${anyOf(others)})/([a-z-]+-)?model\\.ts$`,
    message: "A feature's model is private to its folder: call the owner's index.ts instead.",
  };
}

/** An import of a feature that sits above this one (would allow a cycle between folders). */
function upwardPattern(above, where) {
  return {
    regex: `^(\\.\\./)+(${anyOf(above)})(/|$)`,
    message: `${where} may not import this feature: it is higher in FEATURE_LAYERS (eslint/boundaries.js); move the shared piece down, or pass it in from createApp.`,
  };
}

/** One config block per feature folder (and one for the shared modules). */
export function boundaryConfigs() {
  const blocks = FEATURE_LAYERS.map((feature, i) => {
    const others = FEATURE_LAYERS.filter((f) => f !== feature);
    const above = FEATURE_LAYERS.slice(i + 1);
    const patterns = [modelPattern(others)];
    if (above.length) patterns.push(upwardPattern(above, `server/${feature}/`));
    return {
      files: [`server/${feature}/**/*.ts`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
    };
  });
  const sharedFiles = SHARED.map((s) => (s.endsWith('.ts') ? `server/${s}` : `server/${s}/**/*.ts`));
  blocks.push({
    files: sharedFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        // The edge may name the Caller type that accounts owns, but never call into a feature.
        { patterns: [{ ...upwardPattern(FEATURE_LAYERS, 'A shared module'), allowTypeImports: true }, modelPattern(FEATURE_LAYERS)] },
      ],
    },
  });
  return blocks;
}
