/**
 * The trading dashboard: GET /api/trading (parsed with the shared schema) and the panels in Chromium (the default
 * config's BTC 5m and 15m series cards with a ticking countdown, feed health, the BTC reference row, orders / fills
 * with their empty states), a layout check (no overlapping panels, no horizontal overflow) and screenshots at
 * 1280x800 and 1920x1080. The multi-series grid and its filter: series-grid.spec.ts.
 * The simulator runs in real time here, so only what is deterministic is asserted (windows, feeds, countdown).
 */
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { tradingSnapshotSchema, type TradingSnapshot } from '../../lib/schemas/trading';
import { status, gotoPage, watchErrors } from './helpers';

test.describe.configure({ mode: 'serial' });

// Every test here fails on any browser console error or uncaught page error.
let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = watchErrors(page);
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

const LEN_MS: Record<string, number> = { '5m': 300_000, '15m': 900_000 };
/** The default config's series: kind -> series key. */
const KEY: Record<string, string> = { '5m': 'btc-300', '15m': 'btc-900' };
const btcOf = (s: TradingSnapshot) => s.assets.find((a) => a.asset === 'btc');

async function snapshot(request: import('@playwright/test').APIRequestContext): Promise<TradingSnapshot> {
  const res = await request.get('/api/trading');
  expect(res.status()).toBe(200);
  expect(res.headers()['cache-control']).toContain('no-store');
  return tradingSnapshotSchema.parse(await res.json());
}

test('GET /api/trading parses with the schema and lists the current 5m and 15m windows', async ({ request }) => {
  await expect.poll(async () => (await status(request)).state, { timeout: 20_000 }).toBe('running');
  // Discovery, books and the first feed reports take a moment after a (re)start.
  await expect
    .poll(async () => {
      const s = await snapshot(request);
      return s.tradingUp && s.series.every((x) => x.current.state !== null) && !!btcOf(s)?.live && s.feeds.some((f) => f.feed === 'clob-market' && f.state === 'open');
    }, { timeout: 20_000 })
    .toBe(true);
  const raw = await (await request.get('/api/trading')).text();
  const s = tradingSnapshotSchema.parse(JSON.parse(raw));
  expect(s.series.map((x) => [x.key, x.asset, x.kind, x.windowSec, x.enabled])).toEqual([['btc-300', 'btc', '5m', 300, true], ['btc-900', 'btc', '15m', 900, true]]);
  expect(s.assets.map((a) => a.asset)).toEqual(['btc']);
  for (const x of s.series) {
    const w = x.current;
    expect(w.endMs).toBeGreaterThan(s.nowMs);
    expect(w.startMs).toBeLessThanOrEqual(s.nowMs);
    expect(w.endMs - w.startMs).toBe(LEN_MS[x.kind]);
    expect(w.startMs % LEN_MS[x.kind]!).toBe(0);
    expect(w.slug).toBe(`btc-updown-${x.kind}-${w.startMs / 1000}`);
    expect(w.slug.startsWith(x.slugPrefix) && w.slug.endsWith(x.slugSuffix)).toBe(true);
    expect(['discovered', 'open', 'closing']).toContain(w.state); // 'discovered' only for a moment at a boundary
    expect(w.up?.tokenId).toBeTruthy();
    expect(w.down?.tokenId).toBeTruthy();
    if (x.lastResolved) expect(x.lastResolved.endMs).toBeLessThanOrEqual(w.startMs);
  }
  expect(s.mode).toBe('paper');
  const btc = btcOf(s)!;
  expect(btc.live!.priceUsd).toBeGreaterThan(0);
  expect(btc.refRecvMs).not.toBeNull();
  expect(btc.refAgeMs!).toBeLessThanOrEqual(btc.staleAfterMs); // a running simulator streams the reference
  expect(btc.stale).toBe(false);
  expect(s.feeds.map((f) => f.feed)).toEqual(expect.arrayContaining(['clob-market', 'spot', 'clob-user']));
  expect(s.feeds.find((f) => f.feed === 'clob-user')!.used).toBe(false); // paper mode: no user stream
  expect(s.pnl.exposureUsd).toBeCloseTo(s.pnl.costBasisUsd + s.pnl.workingBuyUsd, 6);
  expect(s.openOrders.length).toBeLessThanOrEqual(s.openOrdersTotal);
  for (const f of s.fills) expect(f.provisional).toBe(f.status !== 'CONFIRMED' && f.status !== 'FAILED');
  // Read-only and secret-free.
  expect(raw).not.toMatch(/secret|passphrase|privateKey|apiKey|POLY_/i);
  expect((await request.post('/api/trading', { data: {} })).status()).toBeGreaterThanOrEqual(400);
});

test('with the bot stopped the snapshot still names the current windows and says trading is down', async ({ request }) => {
  expect((await request.post('/api/bot/stop', { data: { reason: 'e2e trading snapshot' } })).status()).toBe(200);
  try {
    const s = await snapshot(request);
    expect(s.runtimeState).toBe('stopped');
    expect(s.tradingUp).toBe(false);
    expect(s.series).toHaveLength(2);
    for (const x of s.series) {
      expect(x.current.endMs).toBeGreaterThan(s.nowMs);
      expect(x.current.state).toBeNull();
    }
    expect(s.openOrders).toEqual([]);
    // PnL, fills and positions stay visible, marked with when they were last read from the running bot.
    expect(s.tradingAsOfMs).not.toBeNull();
    expect(s.tradingAsOfMs!).toBeLessThanOrEqual(s.nowMs);
    expect(s.feeds.filter((f) => f.used).every((f) => f.state === 'closed' && f.stale)).toBe(true);
  } finally {
    expect((await request.post('/api/bot/start', { data: { reason: 'e2e trading snapshot' } })).status()).toBe(200);
  }
  await expect.poll(async () => (await snapshot(request)).series.every((x) => x.current.state !== null), { timeout: 20_000 }).toBe(true);
});

function seconds(text: string): number {
  const parts = text.trim().split(':').map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/** No two dashboard panels overlap, and none overflows sideways. */
async function expectCleanLayout(page: Page) {
  const boxes = await page.locator('main section[data-testid]').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { id: el.getAttribute('data-testid'), x: r.x, y: r.y, w: r.width, h: r.height, overflow: el.scrollWidth - el.clientWidth };
    }),
  );
  expect(boxes.length).toBeGreaterThanOrEqual(10);
  for (const b of boxes) {
    expect(b.w, `${b.id} has a width`).toBeGreaterThan(150);
    expect(b.overflow, `${b.id} overflows horizontally`).toBeLessThanOrEqual(1);
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap = a.x < b.x + b.w - 1 && b.x < a.x + a.w - 1 && a.y < b.y + b.h - 1 && b.y < a.y + a.h - 1;
      expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
    }
  }
}

test('the dashboard shows both series cards with a ticking countdown, the feeds and the reference; screenshots', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await gotoPage(page, '/');
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  const panel = page.getByTestId('windows-panel');
  for (const k of ['5m', '15m'] as const) {
    const key = KEY[k]!;
    await expect(panel.getByTestId(`series-label-${key}`)).toHaveText(`BTC ${k}`);
    await expect(panel.getByTestId(`series-slug-${key}`)).toHaveText(new RegExp(`^btc-updown-${k}-\\d+$`));
    await expect(panel.getByTestId(`series-state-${key}`)).toHaveText(/^(open|closing)$/, { timeout: 20_000 });
    await expect(panel.getByTestId(`series-countdown-${key}`)).toHaveText(/^\d+:\d{2}$/);
    await expect(panel.getByTestId(`series-ref-${key}`)).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/);
    await expect(panel.getByTestId(`series-up-bid-${key}`)).toHaveText(/^(0\.\d{2,3}|1\.00|—)$/);
  }
  // The countdown ticks down in the browser (skip past a window boundary if one is imminent).
  const cd = panel.getByTestId('series-countdown-btc-300');
  if (seconds(await cd.innerText()) < 6) await expect.poll(async () => seconds(await cd.innerText()), { timeout: 15_000 }).toBeGreaterThan(30);
  const first = seconds(await cd.innerText());
  const first15 = seconds(await panel.getByTestId('series-countdown-btc-900').innerText());
  // By condition, not by a timed wait: it goes down by whole seconds (no jump up, no jump of a window's length).
  await expect.poll(async () => first - seconds(await cd.innerText()), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
  const second = seconds(await cd.innerText());
  expect(second).toBeLessThan(first);
  expect(first - second).toBeLessThan(60);
  await expect.poll(async () => seconds(await panel.getByTestId('series-countdown-btc-900').innerText()), { timeout: 15_000 }).toBeLessThan(first15);

  // Feeds: market, reference and spot streams are open; the user stream is not used in paper mode.
  const feeds = page.getByTestId('feeds-card');
  for (const f of ['clob-market', 'polybolt', 'spot']) await expect(feeds.getByTestId(`feed-state-${f}`)).toHaveText(/^open/, { timeout: 15_000 });
  await expect(feeds.getByTestId('feed-state-clob-user')).toHaveText('not used in paper mode');
  await expect(page.getByTestId('asset-live-btc')).toHaveText(/^\d{1,3}(,\d{3})*\.\d{2}$/);
  await expect(page.getByTestId('asset-age-btc')).toHaveAttribute('data-stale', 'false');

  // PnL, orders, fills, positions and alerts render (a table or a clear empty state).
  await expect(page.getByTestId('pnl-today')).toHaveText(/^([+−]?\$\d+\.\d{2})$/);
  await expect(page.getByTestId('exposure')).toHaveText(/^\$\d+\.\d{2}$/);
  await expect(page.getByTestId('orders-table').or(page.getByTestId('orders-empty'))).toBeVisible();
  await expect(page.getByTestId('fills-table').or(page.getByTestId('fills-empty'))).toBeVisible();
  await expect(page.getByTestId('positions-table').or(page.getByTestId('positions-empty'))).toBeVisible();
  await expect(page.getByTestId('alerts-card')).toBeVisible();
  // The existing cards are still there.
  for (const id of ['runtime-card', 'activity-card', 'killswitch-card', 'recent-events']) await expect(page.getByTestId(id)).toBeVisible();

  mkdirSync('test-results/screenshots', { recursive: true });
  await expectCleanLayout(page);
  await page.screenshot({ path: 'test-results/screenshots/dashboard-trading.png', fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(300);
  await expectCleanLayout(page);
  await page.screenshot({ path: 'test-results/screenshots/dashboard-trading-1920x1080.png', fullPage: true });
});
