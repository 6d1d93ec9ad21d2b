/**
 * Clean shutdown: a second console process (its own port and data directory) with an open event stream and a
 * running bot gets SIGTERM; it must close the stream, stop the runtime and exit 0 within 5 s (open SSE responses
 * would otherwise keep `next start` alive for minutes), and the runs table records why it stopped.
 */
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

test('SIGTERM with an open event stream: exits 0 within 5 s and records the stop', async () => {
  test.setTimeout(60_000);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'updown-shutdown-'));
  const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, DATA_DIR: dataDir, VENUE: 'sim', TRADING_MODE: 'paper', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const exited = new Promise<{ code: number | null; atMs: number }>((resolve) => child.once('exit', (code) => resolve({ code, atMs: Date.now() })));
  const base = `http://127.0.0.1:${port}`;
  await expect
    .poll(async () => (await fetch(`${base}/api/health`).then((r) => r.json()).catch(() => ({}))).state, { timeout: 30_000 })
    .toBe('running');
  const ctrl = new AbortController();
  const stream = await fetch(`${base}/api/events`, { signal: ctrl.signal });
  const reader = stream.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  expect(first).toContain('event: hello');
  const sentMs = Date.now();
  child.kill('SIGTERM');
  // The server closes our stream itself.
  let ended = false;
  for (let i = 0; i < 50 && !ended; i++) ended = (await reader.read().catch(() => ({ done: true }))).done === true;
  expect(ended).toBe(true);
  const { code, atMs } = await exited;
  expect(code).toBe(0);
  expect(atMs - sentMs).toBeLessThan(5_000);
  const db = new Database(join(dataDir, 'updown.sqlite'), { readonly: true });
  const run = db.prepare('SELECT stop_reason, stopped_ms FROM runs ORDER BY id DESC LIMIT 1').get() as { stop_reason: string; stopped_ms: number };
  db.close();
  expect(run.stop_reason).toBe('signal SIGTERM');
  expect(run.stopped_ms).toBeGreaterThan(0);
  ctrl.abort();
});
