// Lint: typescript-eslint recommended + the architecture's dependency direction (import zones) and the
// house rule that bot/ never reads the wall clock or Math.random outside bot/clock and the PRNG module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noServer = { group: ['**/lib/server', '**/lib/server/*', '@/lib/server*'], message: 'lib/server is server-only glue: only app/ may import it.' };
const noBot = { group: ['**/bot', '**/bot/*', '**/bot/**'], message: 'Only lib/server may import bot/ (the one door into the runtime).' };
const noApp = { group: ['**/app/*', '**/app/**'], message: 'Nothing imports app/.' };
const noComponents = { group: ['**/components/*', '**/components/**'], message: 'Only app/ and components/ import components/.' };

const timeRules = {
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Use the injected Clock (ctx.nowMs / clock.nowMs()).' },
    { object: 'Math', property: 'random', message: 'Use the seeded Prng (bot/util/prng.ts).' },
    { object: 'performance', property: 'now', message: 'Use monotonicMs() from bot/clock.' },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'setTimeout', message: 'Use clock.after().' },
    { name: 'setInterval', message: 'Use clock.every().' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock.' },
  ],
};

export default tseslint.config(
  { ignores: ['.next/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'data/**', '.data/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', globalThis: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-undef': 'off',
    },
  },
  {
    files: ['bot/**/*.ts'],
    ignores: ['bot/clock/live-clock.ts', 'bot/clock/scaled-clock.ts', 'bot/util/prng.ts', 'bot/**/cli.ts'],
    rules: timeRules,
  },
  { files: ['bot/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noApp, noComponents] }] } },
  { files: ['lib/**/*.ts', 'lib/**/*.tsx'], ignores: ['lib/server/**'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noBot, noApp, noComponents] }] } },
  { files: ['lib/server/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noApp, noComponents] }] } },
  { files: ['components/**/*.ts', 'components/**/*.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noBot, noApp] }] } },
  { files: ['app/**/*.ts', 'app/**/*.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [noBot] }] } },
);
