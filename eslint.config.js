// ESLint (flat config) with typescript-eslint. Rules that catch bugs and guard the architecture;
// formatting is left to Prettier (npm run format:check).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaryConfigs } from './eslint/boundaries.js';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'data/', 'test-results/', 'public/vendor/', 'test/lint-fixtures/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_name` marks a parameter that must exist but is not used.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Interfaces merged into library types (Express.User extends Caller) are empty on purpose.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  ...boundaryConfigs(),
  {
    // Small files in the server (the architecture issue's walls).
    files: ['server/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400 }],
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, Chart: 'readonly' } },
  },
  {
    files: ['**/*.mjs', 'eslint/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
