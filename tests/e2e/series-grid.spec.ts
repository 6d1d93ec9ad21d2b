/**
 * Every active series side by side, and the series filter on every page.
 *
 * Against the running simulator (default config: BTC 5m and 15m): the dashboard grid shows one card per series GET
 * /api/trading reports (label and current window as the API gives them); the window-length chip narrows it, writes
 * `?kind=` into the URL, survives a reload, and the navigation carries it to the next page.
 *
 * With the demo's series (BTC and ETH 5m and 15m, BTC hourly) served from a fixture (GET /api/trading and GET
 * /api/orders answered by the test: the simulator of several assets is not what this spec checks): five cards with the
 * fixture's books and prices, ETH's stale reference shown on ETH's cards only, the correlation heat table, the asset
 * filter narrowing the grid and the orders table (the hourly slug placed by its own scheme), and at 390 px one column
 * with no horizontal overflow of the page. No browser console error anywhere; screenshots at 1440x900 and 390x844.
 */
import { expect, type Page, test } from '@playwright/test';
import { ordersResponseSchema, type OrdersResponse } from '../../lib/schemas/orders';
import { tradingSnapshotSchema, type SeriesView, type TradingSnapshot } from '../../lib/schemas/trading';
import { gotoPage, screenshotDesktopAndPhone, status, watchErrors } from './helpers';

test.describe.configure({ mode: 'serial' });

let pageErrors: string[] = [];
test.beforeEach(({ page }) => {
  pageErrors = watchErrors(page);
});
test.afterEach(() => {
  expect(pageErrors).toEqual([]);
});

async function trading(request: import('@playwright/test').APIRequestContext): Promise<TradingSnapshot> {
  return tradingSnapshotSchema.parse(await (await request.get('/api/trading')).json());
}

const cards = (page: Page) => page.locator('[data-testid="windows-panel"] section[data-series]');
const cardKeys = (page: Page) => cards(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-series')));

test('the grid shows one card per series the API reports; the length filter narrows it, is in the URL and survives a reload', async ({ page, request }) => {
  await expect.poll(async () => (await status(request)).state, { timeout: 20_000 }).toBe('running');
  const api = await trading(request);
  expect(api.series.length).toBeGreaterThanOrEqual(2);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/');
  await expect.poll(() => cardKeys(page)).toEqual(api.series.map((s) => s.key));
  for (const s of api.series) {
    await expect(page.getByTestId(`series-label-${s.key}`)).toHaveText(`${s.asset.toUpperCase()} ${s.kind}`);
    // The card's window is the API's current one (read again at each try: a window may roll over meanwhile).
    await expect.poll(async () => (await page.getByTestId(`series-slug-${s.key}`).innerText()) === (await trading(request)).series.find((x) => x.key === s.key)!.current.slug).toBe(true);
  }

  const kind = api.series[api.series.length - 1]!.kind;
  const want = api.series.filter((s) => s.kind === kind).map((s) => s.key);
  expect(want.length).toBeLessThan(api.series.length); // the filter has something to remove
  await page.getByTestId(`sf-kind-${kind}`).click();
  await expect(page.getByTestId(`sf-kind-${kind}`)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => cardKeys(page)).toEqual(want);
  expect(new URL(page.url()).searchParams.get('kind')).toBe(kind);
  await expect(page.getByTestId('series-filter-counts')).toHaveText(`${want.length} of ${api.series.length} series · all assets · ${kind}`);

  await page.reload();
  await expect(page.getByTestId(`sf-kind-${kind}`)).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => cardKeys(page)).toEqual(want);

  // The navigation carries the filter to the next page.
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Orders' }).click();
  await expect(page.getByTestId('orders-page')).toBeVisible();
  expect(new URL(page.url()).searchParams.get('kind')).toBe(kind);
  await expect(page.getByTestId(`sf-kind-${kind}`)).toHaveAttribute('aria-pressed', 'true');

  // "all" clears it.
  await gotoPage(page, `/?kind=${kind}`);
  await page.getByTestId('sf-kind-all').click();
  await expect.poll(() => cardKeys(page)).toEqual(api.series.map((s) => s.key));
  expect(new URL(page.url()).searchParams.has('kind')).toBe(false);
});

// --- The demo's series from a fixture ---

const DEMO = [
  { asset: 'btc', windowSec: 300 },
  { asset: 'btc', windowSec: 900 },
  { asset: 'eth', windowSec: 300 },
  { asset: 'eth', windowSec: 900 },
  { asset: 'btc', windowSec: 3_600 },
] as const;
const KIND: Record<number, string> = { 300: '5m', 900: '15m', 3_600: '1h' };
/** Distinct book tops per series (Up bid, Up ask), so each card is checked against its own figures. */
const TOPS: Record<string, [number, number]> = { 'btc-300': [0.55, 0.57], 'btc-900': [0.48, 0.5], 'eth-300': [0.61, 0.63], 'eth-900': [0.33, 0.36], 'btc-3600': [0.71, 0.74] };
const PTB: Record<string, number> = { btc: 97_100, eth: 3_405.5 };

const etHourSlug = (startMs: number) => {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', month: 'long', day: 'numeric', hour: 'numeric', hour12: true }).formatToParts(new Date(startMs)).map((x) => [x.type, x.value]));
  return `bitcoin-up-or-down-${p.month!.toLowerCase()}-${p.day}-${p.hour}${p.dayPeriod!.toLowerCase()}-et`;
};

function demoSeries(nowMs: number): SeriesView[] {
  return DEMO.map(({ asset, windowSec }) => {
    const key = `${asset}-${windowSec}`;
    const kind = KIND[windowSec]!;
    const len = windowSec * 1000;
    const startMs = Math.floor(nowMs / len) * len;
    const hourly = windowSec === 3_600;
    const slug = hourly ? etHourSlug(startMs) : `${asset}-updown-${kind}-${startMs / 1000}`;
    const [bid, ask] = TOPS[key]!;
    const top = (side: string, b: number, a: number) => ({ tokenId: `${key}-${side}`, bestBid: b, bestAsk: a, bidSize: 100, askSize: 80 });
    return {
      key, asset, kind, windowSec, enabled: true, settlement: hourly ? 'spot-candle' : 'twap60',
      slugPrefix: hourly ? 'bitcoin-up-or-down-' : `${asset}-updown-${kind}-`, slugSuffix: hourly ? '-et' : '',
      current: {
        slug, kind, startMs, endMs: startMs + len, state: 'open', priceToBeatUsd: PTB[asset]!, priceToBeatSource: hourly ? 'gamma' : 'twap', tickSize: 0.01,
        up: top('up', bid, ask), down: top('down', Number((1 - ask).toFixed(2)), Number((1 - bid).toFixed(2))), winner: null,
      },
      next: null,
      lastResolved: { slug: hourly ? etHourSlug(startMs - len) : `${asset}-updown-${kind}-${(startMs - len) / 1000}`, endMs: startMs, winner: windowSec === 900 ? 'down' : 'up' },
    };
  });
}

/** A trading snapshot of the demo's five series; its seq is far ahead of the live stream, so no live event lands on it. */
function demoSnapshot(): TradingSnapshot {
  const nowMs = Date.now();
  return tradingSnapshotSchema.parse({
    instanceId: 'fixture-demo', runtimeState: 'running', tradingUp: true, mode: 'paper', venue: 'sim', nowMs, clockRate: 1, seq: 1_000_000_000,
    series: demoSeries(nowMs),
    assets: [
      { asset: 'btc', live: { priceUsd: 97_123.45, tsMs: nowMs - 900 }, twap: { priceUsd: 97_120.1, tsMs: nowMs - 900 }, spot: { priceUsd: 97_131.2, tsMs: nowMs - 300 }, refRecvMs: nowMs - 400, refAgeMs: 400, staleAfterMs: 5_000, stale: false },
      { asset: 'eth', live: { priceUsd: 3_412.75, tsMs: nowMs - 12_500 }, twap: null, spot: { priceUsd: 3_414.1, tsMs: nowMs - 300 }, refRecvMs: nowMs - 12_000, refAgeMs: 12_000, staleAfterMs: 5_000, stale: true },
    ],
    correlation: {
      seq: 999_999_990, tsMs: nowMs - 5_000, assets: ['btc', 'eth'], rho: [[1, 0.82], [0.82, 1]], samples: [[0, 240], [240, 0]], isPrior: [[false, false], [false, false]],
      exposureUsd: [42.5, -10], aggregateUsd: 48.7, capUsd: 250, windowSec: 3_600, sampleSec: 10,
    },
    feeds: [{ feed: 'clob-market', used: true, state: 'open', lastMsgAgeMs: 100, msgsPerSec: 12, reconnects: 0, stale: false, badFrames: 0, reportedMs: nowMs - 1_000, seq: 999_999_000 }],
    degraded: { degraded: false, reason: '', ordersAllowed: true, sinceMs: null },
    pnl: { realizedTodayUsd: 1.25, realizedTotalUsd: 1.25, feesTodayUsd: 0.1, costBasisUsd: 20, workingBuyUsd: 5, exposureUsd: 25, unrealizedUsd: 0.4, fillsToday: 3, maxTotalExposureUsd: 300, maxDailyLossUsd: 100 },
    tradingAsOfMs: null, openOrders: [], openOrdersTotal: 0, fills: [], positions: [], alerts: [],
  });
}

function demoOrders(): OrdersResponse {
  const nowMs = Date.now();
  const order = (i: number, s: SeriesView) => ({
    clientTag: `fx|${s.key}|${i}|0`, strategyId: 'fixture', windowSlug: s.current.slug, outcome: 'up' as const, side: 'BUY' as const, price: 0.5, size: 10, usd: null,
    filledSize: 0, orderType: 'GTC' as const, postOnly: true, state: 'live' as const, createdMs: nowMs - i * 1_000, updatedMs: nowMs - i * 1_000, reason: null,
  });
  const orders = demoSeries(nowMs).map((s, i) => order(i, s));
  return ordersResponseSchema.parse({
    nowMs, seq: 1_000_000_000, source: 'session', limit: 200, orders, ordersTotal: orders.length, fills: [], fillsTotal: 0, positions: [], positionsTotal: 0,
    settlements: [], settlementsTotal: 0, equity: { points: [], realizedUsd: 0, unrealizedUsd: null, events: 0 }, strategies: [],
  });
}

async function serveDemo(page: Page) {
  await page.route(/\/api\/trading$/, (r) => r.fulfill({ json: demoSnapshot() }));
  await page.route(/\/api\/orders$/, (r) => r.fulfill({ json: demoOrders() }));
}

test('the demo\'s five series side by side: their own books and prices, the correlation card, the asset filter; one column at 390 px', async ({ page }) => {
  await serveDemo(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/');
  const keys = DEMO.map((d) => `${d.asset}-${d.windowSec}`);
  await expect.poll(() => cardKeys(page)).toEqual(keys);
  for (const key of keys) {
    const [bid, ask] = TOPS[key]!;
    await expect(page.getByTestId(`series-up-bid-${key}`)).toHaveText(bid.toFixed(2));
    await expect(page.getByTestId(`series-up-ask-${key}`)).toHaveText(ask.toFixed(2));
    await expect(page.getByTestId(`series-countdown-${key}`)).toHaveText(/^(\d+:)?\d+:\d{2}$/);
  }
  // Each card prices off its own asset: ETH's stale reference shows on ETH's cards only; the hourly card uses spot.
  await expect(page.getByTestId('series-ref-btc-300')).toHaveText('97,123.45');
  await expect(page.getByTestId('series-ref-eth-900')).toHaveText('3,412.75');
  await expect(page.getByTestId('series-card-eth-900')).toContainText('STALE');
  await expect(page.getByTestId('series-card-btc-300')).not.toContainText('STALE');
  await expect(page.getByTestId('series-ref-btc-3600')).toHaveText('97,131.20');
  await expect(page.getByTestId('series-distance-eth-300')).toHaveText('+7.25');
  await expect(page.getByTestId('asset-age-eth')).toHaveAttribute('data-stale', 'true');
  await expect(page.getByTestId('asset-age-btc')).toHaveAttribute('data-stale', 'false');
  // The correlation heat table as the event gives it.
  await expect(page.getByTestId('corr-cell-0-1')).toHaveAttribute('data-rho', '0.82');
  await expect(page.getByTestId('corr-cell-1-0')).toContainText('n=240');
  await expect(page.getByTestId('corr-aggregate')).toHaveText('$48.70');
  await expect(page.getByTestId('corr-cap')).toHaveText('$250.00');
  await expect(page.getByTestId('corr-exposure-eth')).toContainText('−$10.00');
  await screenshotDesktopAndPhone(page, 'dashboard-series-grid', page.getByTestId('windows-panel'));

  // At 390 px the cards stack in one column, each as wide as the grid.
  const boxes = await cards(page).evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => ({ x: Math.round(r.x), w: Math.round(r.width) })));
  expect(new Set(boxes.map((b) => b.x)).size).toBe(1);
  expect(Math.min(...boxes.map((b) => b.w))).toBeGreaterThan(300);

  // The asset filter: ETH's two series, in the URL, kept over a reload.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('sf-asset-eth').click();
  await expect.poll(() => cardKeys(page)).toEqual(['eth-300', 'eth-900']);
  expect(new URL(page.url()).searchParams.get('asset')).toBe('eth');
  await expect(page.getByTestId('asset-ref-btc')).toHaveCount(0);
  await page.reload();
  await expect.poll(() => cardKeys(page)).toEqual(['eth-300', 'eth-900']);
  await page.getByTestId('sf-kind-1h').click(); // ETH has no hourly series here: nothing left, said so
  await expect(page.getByTestId('series-none')).toBeVisible();
  await page.getByTestId('sf-asset-all').click();
  await expect.poll(() => cardKeys(page)).toEqual(['btc-3600']);
});

test('the Orders page lists the rows of the filtered series only (the hourly slug placed by its own scheme)', async ({ page }) => {
  await serveDemo(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  const rows = () => page.getByTestId('order-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-tag')!.split('|')[1]));
  await gotoPage(page, '/orders?asset=btc');
  await expect.poll(rows, { timeout: 15_000 }).toEqual(['btc-300', 'btc-900', 'btc-3600']);
  await expect(page.getByTestId('series-filter-counts')).toHaveText('3 of 5 rows · BTC · all lengths');
  await page.getByTestId('sf-kind-1h').click();
  await expect.poll(rows).toEqual(['btc-3600']);
  await page.getByTestId('sf-asset-all').click();
  await page.getByTestId('sf-kind-5m').click();
  await expect.poll(rows).toEqual(['btc-300', 'eth-300']);
  expect(new URL(page.url()).search).toBe('?kind=5m');
  await screenshotDesktopAndPhone(page, 'orders-series-filter', page.getByTestId('orders-table'));
});
