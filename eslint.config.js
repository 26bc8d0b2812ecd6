// Lint keeps the wall between the engine (src/) and the page (app/): src/ runs in workers and in
// Node, so it must never reach for React, zustand, d3's DOM modules, the DOM itself, or app code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const engineImportBan = {
  patterns: [
    {
      group: ['react', 'react-dom', 'react-dom/*', 'react/*'],
      message: 'src/ is the engine: no React.',
    },
    { group: ['zustand', 'zustand/*'], message: 'src/ is the engine: state lives in app/store.' },
    {
      group: ['d3', 'd3-selection', 'd3-transition', 'd3-zoom', 'd3-drag', 'd3-brush'],
      message: 'src/ is the engine: no DOM-bound d3 modules.',
    },
    {
      group: ['**/app/*', '**/app', '../app/*', '../../app/*'],
      message: 'src/ never imports from app/.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist',
      '.e2e-dist',
      'dist-cli',
      'node_modules',
      'test-results',
      'playwright-report',
      'public',
      'bin',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.worker } },
    rules: {
      'no-restricted-imports': ['error', engineImportBan],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'src/ has no window: it runs in workers and Node.' },
        { name: 'document', message: 'src/ has no document: it runs in workers and Node.' },
        { name: 'localStorage', message: 'src/ has no DOM storage.' },
        { name: 'HTMLElement', message: 'src/ has no DOM.' },
        { name: 'HTMLCanvasElement', message: 'src/ has no DOM.' },
      ],
    },
  },
);
