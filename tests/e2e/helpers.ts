/** Helpers for API/e2e tests: a minimal SSE reader over fetch, the base URL, a second console server, the routes. */
import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

export const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export interface SseMessage {
  id?: number;
  event: string;
  data: unknown;
}

/** Read SSE messages until `until` returns true or timeoutMs passes; then abort the stream. */
export async function readSse(opts: { lastEventId?: number; until: (msgs: SseMessage[]) => boolean; timeoutMs?: number; base?: string; headers?: Record<string, string>; raw?: string[] }): Promise<SseMessage[]> {
  const ctrl = new AbortController();
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.lastEventId !== undefined) headers['Last-Event-ID'] = String(opts.lastEventId);
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 10_000);
  const msgs: SseMessage[] = [];
  try {
    const res = await fetch(`${opts.base ?? baseURL}/api/events`, { headers, signal: ctrl.signal });
    if (!res.ok) throw new Error(`GET /api/events: ${res.status}`);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let buf = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let idx: number;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        opts.raw?.push(block);
        if (block.startsWith(':')) continue;
        const m: SseMessage = { event: 'message', data: null };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) m.id = Number(line.slice(4));
          else if (line.startsWith('event: ')) m.event = line.slice(7);
          else if (line.startsWith('data: ')) m.data = JSON.parse(line.slice(6));
        }
        msgs.push(m);
      }
      if (opts.until(msgs)) break;
    }
  } catch (err) {
    if (!(err instanceof Error && err.name === 'AbortError')) throw err;
  } finally {
    clearTimeout(timer);
    ctrl.abort();
  }
  return msgs;
}

export async function status(request: APIRequestContext) {
  const res = await request.get('/api/status');
  return (await res.json()) as {
    instanceId: string;
    state: string;
    bus: { lastSeq: number };
    killSwitch: { state: string };
    sse: { clients: number; dropped: number; maxQueuedBytes: number };
    process: { rssBytes: number };
  };
}

export async function emit(request: APIRequestContext, count: number, bytes = 100): Promise<number> {
  const res = await request.post('/api/test/emit', { data: { count, bytes } });
  if (!res.ok()) throw new Error(`emit failed: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { lastSeq: number }).lastSeq;
}

export async function setKillSwitch(request: APIRequestContext, state: string, reason: string) {
  return request.post('/api/kill-switch', { data: { state, reason } });
}

/** Collect the page's browser console errors and uncaught page errors (a page spec asserts the list stays empty). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

/**
 * Screenshot the page full-length at the current (desktop) size, then at 390x844 once `phoneReady` is visible, and
 * check that nothing pushes the phone layout sideways. Files: test-results/screenshots/<name>-desktop|mobile.png.
 */
export async function screenshotDesktopAndPhone(page: Page, name: string, phoneReady: Locator): Promise<void> {
  mkdirSync('test-results/screenshots', { recursive: true });
  await page.screenshot({ path: `test-results/screenshots/${name}-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(phoneReady).toBeVisible();
  // Charts re-measure after the resize (ResizeObserver): the page must settle within 390 px, not merely start there.
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth), { timeout: 5_000 }).toBeLessThanOrEqual(390);
  await page.screenshot({ path: `test-results/screenshots/${name}-mobile.png`, fullPage: true });
}

/**
 * Open a console page and wait until the streamed page has replaced the route group's loading skeleton: React keeps
 * the page in a hidden copy (`<div hidden id="S:…">`) for a moment before revealing it, and until then every test id
 * in it exists twice (a strict-mode locator would fail at random).
 */
export async function gotoPage(page: Page, url: string) {
  const res = await page.goto(url);
  await expect(page.locator('div[hidden][id^="S:"]')).toHaveCount(0);
  await expect(page.getByTestId('page-skeleton')).toHaveCount(0);
  return res;
}

/**
 * A Recharts line is drawn: its path has at least two points. (Not `toBeVisible`: a flat line — a constant p̂ or mid —
 * has a zero-height box, which Playwright calls hidden.)
 */
export async function expectLineDrawn(path: Locator): Promise<void> {
  await expect(path).toHaveAttribute('d', /^M-?[\d.]+,-?[\d.]+L-?[\d.]+,-?[\d.]+/);
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface ConsoleServer {
  port: number;
  baseURL: string;
  dataDir: string;
  /** Every stdout and stderr line the server printed so far. */
  logs: string[];
  stop(): Promise<number | null>;
}

/**
 * A second `next start -H 127.0.0.1` (the build in NEXT_DIST_DIR, a fresh data directory, paper on the simulator)
 * with extra environment, its output captured line by line; resolves once /api/health answers.
 */
export async function startConsoleServer(env: Record<string, string>): Promise<ConsoleServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'updown-e2e-2-'));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CONSOLE_|POLY_|HOST$)/.test(k)));
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...base, DATA_DIR: dataDir, VENUE: 'sim', TRADING_MODE: 'paper', NEXT_TELEMETRY_DISABLED: '1', ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (prefix: string) => {
    let rest = '';
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) logs.push(`${prefix}${line}`);
    };
  };
  child.stdout.on('data', collect(''));
  child.stderr.on('data', collect('stderr: '));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseURL = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await fetch(`${baseURL}/api/health`).then((r) => r.status).catch(() => 0)) > 0, { timeout: 45_000, message: `server on ${port}: ${logs.slice(-5).join(' | ')}` })
    .toBe(true);
  return {
    port,
    baseURL,
    dataDir,
    logs,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface ApiRoute {
  /** e.g. /api/backtests/[id] */
  pattern: string;
  /** A concrete path (dynamic segments filled with a well-formed id that names no job). */
  path: string;
  methods: string[];
}

/** Every API route and the methods its route.ts exports, read from app/api (a new route cannot be forgotten). */
export function apiRoutes(root = process.cwd()): ApiRoute[] {
  const out: ApiRoute[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name === 'route.ts') {
        const src = readFileSync(full, 'utf8');
        const methods = [...src.matchAll(/export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!);
        const pattern = `/${relative(join(root, 'app'), dir).split(sep).join('/')}`;
        const kind = pattern.includes('/sweeps/') ? 'sweep' : 'backtest';
        out.push({ pattern, path: pattern.replace(/\[[^\]]+\]/g, `${kind}-00000000-0000-4000-8000-000000000000`), methods });
      }
    }
  };
  walk(join(root, 'app', 'api'));
  return out.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
