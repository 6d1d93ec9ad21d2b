/**
 * The Feeds page in Chromium against the simulator: it draws live prices (the chart grows without a reload, so
 * the SSE overlay works), the staleness timeline and the per-feed table; then, with the bot stopped so nothing
 * moves, every latest value on the page (prices, divergence in USD and bps, feed status, msgs/s, bad frames,
 * reconnects) equals GET /api/feeds. Fails on any browser console error. Screenshots at 1440x900 and 390x844.
 */
import { expect, type Page, test } from '@playwright/test';
import { feedsSnapshotSchema, type FeedsSnapshot } from '../../lib/schemas/feeds';
import { screenshotDesktopAndPhone, watchErrors, gotoPage, expectLineDrawn } from './helpers';

/** The page's renderers, restated: BTC prices with separators and 2 dp; signed divergence; — for none. */
const usd = (v: number | null | undefined) => (v == null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const signed = (v: number | null | undefined, unit: 'usd' | 'bps') => {
  if (v == null) return '—';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  return unit === 'usd' ? `${sign}$${Math.abs(v).toFixed(2)}` : `${sign}${Math.abs(v).toFixed(2)} bps`;
};

async function apiFeeds(page: Page): Promise<FeedsSnapshot> {
  const res = await page.request.get('/api/feeds');
  expect(res.ok()).toBe(true);
  return feedsSnapshotSchema.parse(await res.json());
}

/** What the page shows, in the order `expected` lists it. */
async function shown(page: Page, feeds: readonly string[]): Promise<string[]> {
  const ids = ['latest-ref', 'latest-twap', 'latest-spot', 'latest-spot-ref-usd', 'latest-spot-ref-bps', 'latest-ref-twap-usd', 'latest-ref-twap-bps'];
  for (const f of feeds) ids.push(`feed-${f}-status`, `feed-${f}-rate`, `feed-${f}-bad`, `feed-${f}-reconnects`);
  return Promise.all(ids.map(async (id) => ((await page.getByTestId(id).textContent()) ?? '').trim()));
}

function expected(s: FeedsSnapshot): string[] {
  const row = s.points.at(-1);
  const out = [usd(s.latest.ref?.priceUsd), usd(s.latest.twap?.priceUsd), usd(s.latest.spot?.priceUsd), signed(row?.spotRefUsd, 'usd'), signed(row?.spotRefBps, 'bps'), signed(row?.refTwapUsd, 'usd'), signed(row?.refTwapBps, 'bps')];
  for (const f of s.feeds) out.push(f.status, f.msgsPerSec.toFixed(1), String(f.badFrames), String(f.reconnects));
  return out;
}

test('feeds page: live prices, divergence, staleness timeline; latest values equal GET /api/feeds', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/feeds');
  await expect(page.getByRole('link', { name: 'Feeds' })).toHaveAttribute('aria-current', 'page');
  // The streamed page sits for a moment in a hidden copy (loading.tsx's Suspense swap): wait until only one is left.
  await expect(page.locator('main [data-testid="feeds-view"]')).toBeVisible();
  await expect(page.locator('[hidden] [data-testid="feeds-view"]')).toHaveCount(0);
  await expect(page.getByTestId('feeds-view')).toHaveCount(1);

  // Live data from the sim: all three prices, and a divergence row.
  const priceRe = /^\d{1,3}(,\d{3})*\.\d{2}$/;
  await expect(page.getByTestId('latest-ref')).toHaveText(priceRe, { timeout: 30_000 });
  await expect(page.getByTestId('latest-twap')).toHaveText(priceRe, { timeout: 30_000 });
  await expect(page.getByTestId('latest-spot')).toHaveText(priceRe);
  await expect(page.getByTestId('latest-spot-ref-usd')).toHaveText(/^[+−]?\$\d+\.\d{2}$/);
  await expect(page.getByTestId('latest-spot-ref-bps')).toHaveText(/^[+−]?\d+\.\d{2} bps$/);

  // The chart grows while the page stays loaded: the live overlay, not a refetch, adds rows.
  const chart = page.getByTestId('price-chart');
  await expect(chart).toBeVisible();
  const points = async () => Number(await chart.getAttribute('data-points'));
  let snapshotFetches = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/feeds') snapshotFetches++;
  });
  const before = await points();
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(before + 3);
  expect(snapshotFetches, 'rows came from the live stream, not from refetching the snapshot').toBe(0);
  await expect.poll(points, { timeout: 30_000 }).toBeGreaterThanOrEqual(20); // enough for a readable screenshot
  // Lines are drawn (a path with many points), in every chart.
  for (const id of ['price-chart', 'divergence-usd-chart', 'divergence-bps-chart', 'rate-chart']) {
    await expectLineDrawn(page.locator(`[data-testid="${id}"] path.recharts-curve`).first());
  }
  // The staleness timeline has bands for the reference, spot and market feeds.
  const api = await apiFeeds(page);
  const used = api.feeds.map((f) => f.feed);
  expect(used).toEqual(expect.arrayContaining(['clob-market', 'spot']));
  for (const f of used) expect(Number(await page.getByTestId(`timeline-track-${f}`).getAttribute('data-intervals'))).toBeGreaterThan(0);
  await expect(page.getByText('time (UTC)').first()).toBeVisible();

  await screenshotDesktopAndPhone(page, 'feeds', page.getByTestId('price-chart'));
  await page.setViewportSize({ width: 1440, height: 900 });

  // Freeze the data (stop the bot), then the page's latest values must be exactly the server's.
  expect((await request.post('/api/bot/stop', { data: { reason: 'e2e feeds page' } })).status()).toBe(200);
  try {
    let last: { page: string[]; api: string[] } = { page: [], api: [] };
    await expect
      .poll(
        async () => {
          const s = await apiFeeds(page);
          last = { api: expected(s), page: await shown(page, s.feeds.map((f) => f.feed)) };
          return JSON.stringify(last.page) === JSON.stringify(last.api);
        },
        { timeout: 15_000, intervals: [500] },
      )
      .toBe(true);
    expect(last.page).toEqual(last.api);
    // Stopped feeds read as not open on the page too.
    for (const f of used) await expect(page.getByTestId(`feed-${f}-status`)).not.toHaveText('open');
  } finally {
    expect((await request.post('/api/bot/start', { data: { reason: 'e2e feeds page' } })).status()).toBe(200);
  }
  // Leave the bot running for the specs after this one.
  await expect.poll(async () => ((await (await request.get('/api/status')).json()) as { state: string }).state, { timeout: 20_000 }).toBe('running');
  expect(errors).toEqual([]);
});
