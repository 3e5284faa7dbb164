import { defineConfig } from 'eslint/config';
import tsPlugin from '@typescript-eslint/eslint-plugin';
import tsParser from '@typescript-eslint/parser';

import baseConfig from './.config/eslint.config.mjs';

// The worker, its suites and benchmarks are Node TypeScript, typechecked by tsconfig.worker.json: Grafana's React
// rules do not apply there, and its type-aware rules would look for them in the plugin's tsconfig.json.
const nodeDirs = ['src/worker/**', 'tests/**', 'bench/**'];
// The browser tests' page (tests/browser/page/*.tsx) is bundled for Chromium but checked with the same rules.
const nodeTypeScript = ['src/worker/**/*.ts', 'tests/**/*.ts', 'tests/browser/**/*.tsx', 'bench/**/*.ts'];

export default defineConfig([
  {
    ignores: [
      '**/node_modules/',
      '**/dist/',
      '**/build/',
      '**/coverage/',
      'data/',
      'tests/output/',
      'bench/output/',
      '.config/',
      '**/*.log',
      '**/.eslintcache',
      'test-results/',
      'playwright-report/',
    ],
  },
  ...baseConfig.map((block) => ({ ...block, ignores: [...(block.ignores ?? []), ...nodeDirs] })),
  {
    files: nodeTypeScript,
    extends: [tsPlugin.configs['flat/recommended']],
    languageOptions: {
      parser: tsParser,
      ecmaVersion: 2022,
      sourceType: 'module',
    },
  },
  {
    files: ['bin/**/*.js', 'bench/**/*.{js,cjs}', 'tests/**/*.{js,cjs}'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'commonjs' },
  },
]);
