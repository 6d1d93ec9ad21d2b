// Lint: typescript-eslint recommended + the architecture's dependency direction (import zones) and the
// house rule that bot/ never reads the wall clock or Math.random outside bot/clock and the PRNG module.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noServer = { group: ['**/lib/server', '**/lib/server/*', '@/lib/server*'], message: 'lib/server is server-only glue: only app/ may import it.' };
const noBot = { group: ['**/bot', '**/bot/*', '**/bot/**'], message: 'Only lib/server may import bot/ (the one door into the runtime).' };
const noApp = { group: ['**/app/*', '**/app/**'], message: 'Nothing imports app/.' };
const noComponents = { group: ['**/components/*', '**/components/**'], message: 'Only app/ and components/ import components/.' };

const noRoot = { group: ['./runtime', '../runtime', '../../runtime', './runtime-core', '../runtime-core', '../../runtime-core'], message: 'Nothing imports the composition root (bot/runtime.ts, its core bot/runtime-core.ts) but lib/server (and the replay composition).' };
// A sibling folder of bot/ seen from bot/<dir>/ or bot/<dir>/<sub>/ (lib/schemas/... never matches).
const layer = (name) => ({
  group: [`../${name}`, `../${name}/*`, `../../${name}`, `../../${name}/*`],
  message: `bot/${name} is not below this folder (see the layers in the README's Architecture).`,
});
const above = ['session', 'host', 'views', 'preflight', 'health', 'config', 'replay', 'doctor'];
/** Folder -> folders it must not import. */
const botLayers = {
  core: ['bus', 'net', 'http', 'feeds', 'markets', 'execution', 'risk', 'store', 'strategies', 'sim', ...above],
  protocol: ['core', 'bus', 'clock', 'net', 'http', 'feeds', 'markets', 'execution', 'risk', 'store', 'strategies', 'sim', ...above],
  net: ['http', 'feeds', 'markets', 'execution', 'risk', 'store', 'strategies', 'sim', ...above],
  http: ['net', 'feeds', 'markets', 'execution', 'risk', 'store', 'strategies', 'sim', ...above],
  feeds: ['markets', 'execution', 'risk', 'store', 'strategies', 'sim', ...above],
  markets: ['feeds', 'execution', 'risk', 'store', 'strategies', 'sim', ...above],
  execution: ['feeds', 'markets', 'risk', 'strategies', 'sim', ...above],
  strategies: ['bus', 'clock', 'net', 'http', 'feeds', 'markets', 'execution', 'risk', 'store', 'sim', ...above],
  sim: ['net', 'http', 'feeds', 'markets', 'execution', 'risk', 'store', 'strategies', ...above],
  risk: ['net', 'http', 'feeds', 'markets', 'execution', 'strategies', 'sim', ...above],
  host: ['net', 'http', 'feeds', 'sim', 'session', 'views', 'preflight', 'health', 'config', 'replay', 'doctor'],
  preflight: ['sim', 'session', 'views', 'host', 'health', 'config', 'replay', 'doctor'],
  health: ['sim', 'session', 'views', 'host', 'preflight', 'config', 'replay', 'doctor'],
  session: ['sim', 'views', 'config', 'replay', 'doctor'],
  views: ['sim', 'config', 'replay', 'doctor', 'preflight'],
};

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
  { ignores: ['.next/**', '.next-*/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'next-env.d.ts', 'data/**', '.data/**', 'bench-results/**'] },
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
  { files: ['bot/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noApp, noComponents, noRoot] }] } },
  // The replay composition (bot/replay-run.ts) sits on top of the root: it builds a replay runtime and drives it.
  // The root itself is built on its core (bot/runtime-core.ts).
  { files: ['bot/replay-run.ts', 'bot/runtime.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noApp, noComponents] }] } },
  // The layers inside bot/ (README, Architecture): each folder may import only the folders below it; feeds, markets
  // and execution never import each other (they meet in the session); strategies see only the vocabulary leaf.
  ...Object.entries(botLayers).map(([dir, forbidden]) => ({
    files: [`bot/${dir}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noApp, noComponents, noRoot, ...forbidden.map(layer)] }] },
  })),
  { files: ['lib/**/*.ts', 'lib/**/*.tsx'], ignores: ['lib/server/**'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noBot, noApp, noComponents] }] } },
  { files: ['lib/server/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: [noApp, noComponents] }] } },
  { files: ['components/**/*.ts', 'components/**/*.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [noServer, noBot, noApp] }] } },
  { files: ['app/**/*.ts', 'app/**/*.tsx'], rules: { 'no-restricted-imports': ['error', { patterns: [noBot] }] } },
);
