// `npm test`: typecheck, lint, vitest (unit + integration against the simulator), next build, Playwright
// (API + end-to-end in Debian's Chromium). Ends with one line `N passed, N failed` totalling every suite.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfStale, freePort, root } from './lib.mjs';

const results = [];
const bin = (name) => join(root, 'node_modules', '.bin', name);
const out = join(root, 'test-results');
mkdirSync(out, { recursive: true });

function run(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env } });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`=== ${name}: exit ${r.status} in ${secs.toFixed(1)} s`);
  return r.status === 0;
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const only = process.argv[2];
const want = (s) => !only || only === s;

if (want('typecheck')) results.push({ suite: 'typecheck', passed: run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) ? 1 : 0, failedOverride: null });
if (want('lint')) results.push({ suite: 'lint', passed: run('lint', bin('eslint'), ['--max-warnings=0', '.']) ? 1 : 0, failedOverride: null });

if (want('vitest')) {
  const file = join(out, 'vitest.json');
  rmSync(file, { force: true });
  const ok = run('vitest', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${file}`]);
  const j = readJson(file);
  const passed = j?.numPassedTests ?? 0;
  const failed = (j?.numFailedTests ?? 0) + (j && !ok && j.numFailedTests === 0 ? 1 : 0);
  results.push({ suite: 'vitest', passed, failed: j ? failed : 1, skipped: (j?.numPendingTests ?? 0) + (j?.numTodoTests ?? 0) });
}

if (want('e2e')) {
  buildIfStale({ force: process.env.CI === 'true' });
  const file = join(out, 'playwright.json');
  rmSync(file, { force: true });
  const port = await freePort();
  const ok = run('playwright', bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: file, E2E_PORT: String(port) });
  const j = readJson(file);
  const s = j?.stats;
  const passed = s ? s.expected + s.flaky : 0;
  const failed = s ? s.unexpected : 1;
  results.push({ suite: 'playwright', passed, failed: failed + (!ok && failed === 0 ? 1 : 0), skipped: s?.skipped ?? 0 });
}

let passed = 0;
let failed = 0;
let skipped = 0;
console.log('\nsummary:');
for (const r of results) {
  const f = r.failed ?? (r.passed ? 0 : 1);
  passed += r.passed;
  failed += f;
  skipped += r.skipped ?? 0;
  console.log(`  ${r.suite.padEnd(11)} ${r.passed} passed, ${f} failed${r.skipped ? `, ${r.skipped} skipped` : ''}`);
}
if (!existsSync(out)) mkdirSync(out);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || results.length === 0 ? 1 : 0);
