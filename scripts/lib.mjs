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

/** Loopback listen addresses (the same rule as bot/config/server-env.ts isLoopbackHost; a test keeps them equal). */
export function isLoopbackHost(host) {
  const h = String(host).trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) && v4.split('.').every((o) => Number(o) <= 255);
}

/** Where `next start` will listen: HOST, else loopback. */
export function listenHost(env) {
  return env.HOST && env.HOST.trim() !== '' ? env.HOST.trim() : '127.0.0.1';
}

/**
 * Console security, before anything is built or spawned: a non-loopback HOST needs CONSOLE_TOKEN (the server checks
 * the same again when it creates the runtime). Returns the message to print, or undefined when the start may go on.
 */
export function bindingRefusal(env) {
  const host = listenHost(env);
  if (isLoopbackHost(host) || (env.CONSOLE_TOKEN ?? '') !== '') return undefined;
  return (
    `Up/Down Console refused to start: HOST=${host} is not a loopback address and CONSOLE_TOKEN is not set.\n` +
    '  Anyone who can reach that address could stop the bot, change its limits or arm live trading.\n' +
    '  Set CONSOLE_TOKEN (at least 12 characters; operators log in at /login or send it as a Bearer token), or unset HOST to listen on 127.0.0.1.'
  );
}

/** Exit (code 1) with the binding refusal when there is one. */
export function refuseUnsafeBinding(env = process.env) {
  const why = bindingRefusal(env);
  if (!why) return;
  console.error(why);
  process.exit(1);
}

/** Start `next start` on HOST (default loopback; see bindingRefusal) and forward signals to it. */
export function startNext({ port, env }) {
  refuseUnsafeBinding({ ...process.env, ...env });
  const child = spawn(process.execPath, [nextBin, 'start', '-H', listenHost(process.env), '-p', String(port)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
  return child;
}
