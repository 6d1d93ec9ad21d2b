// Shared helpers for the npm scripts: build-if-stale, free ports, running Next without npm wrappers
// (so that SIGTERM reaches the server and it can close SSE streams and stop the bot cleanly).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const root = new URL('..', import.meta.url).pathname;
export const nextBin = join(root, 'node_modules', 'next', 'dist', 'bin', 'next');

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    max = Math.max(max, newestMtime(join(path, entry)));
  }
  return max;
}

/** Run `next build` unless .next/BUILD_ID is newer than every source file. */
export function buildIfStale({ force = false } = {}) {
  const buildId = join(root, '.next', 'BUILD_ID');
  const sources = ['app', 'components', 'lib', 'bot', 'instrumentation.ts', 'next.config.mjs', 'package.json', 'postcss.config.mjs'];
  const newest = Math.max(...sources.map((s) => newestMtime(join(root, s))));
  if (!force && existsSync(buildId) && statSync(buildId).mtimeMs > newest) return;
  console.log('building the console (next build)…');
  const r = spawnSync(process.execPath, [nextBin, 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Start `next start` bound to loopback and forward signals to it. */
export function startNext({ port, env }) {
  const child = spawn(process.execPath, [nextBin, 'start', '-H', process.env.HOST ?? '127.0.0.1', '-p', String(port)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return child;
}
