/** Helpers for API/e2e tests: a minimal SSE reader over fetch, and the base URL. */
import { type APIRequestContext, expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const baseURL = `http://127.0.0.1:${process.env.E2E_PORT}`;

export interface SseMessage {
  id?: number;
  event: string;
  data: unknown;
}

/** Read SSE messages until `until` returns true or timeoutMs passes; then abort the stream. */
export async function readSse(opts: { lastEventId?: number; until: (msgs: SseMessage[]) => boolean; timeoutMs?: number }): Promise<SseMessage[]> {
  const ctrl = new AbortController();
  const headers: Record<string, string> = {};
  if (opts.lastEventId !== undefined) headers['Last-Event-ID'] = String(opts.lastEventId);
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 10_000);
  const msgs: SseMessage[] = [];
  try {
    const res = await fetch(`${baseURL}/api/events`, { headers, signal: ctrl.signal });
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
