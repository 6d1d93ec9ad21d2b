/**
 * The Feeds page in Chromium against a second console server running the demo's series (scripts/demo-config.json:
 * BTC and ETH 5m and 15m, BTC hourly; the simulator prices every configured asset): one reference row and one price
 * panel per asset GET /api/feeds reports, each in its own asset's magnitude (BTC 10^4–10^5 USD, ETH 10^3; the chart's price axis too, so a chart
 * mixing two assets fails); the asset filter narrows the panels; the page draws live prices (the chart grows without
 * a reload, so the SSE overlay works), the staleness timeline and the per-feed table; then, with the bot stopped so
 * nothing moves, every asset's latest values (prices, divergence in USD and bps) and every feed's status, msgs/s, bad
 * frames and reconnects equal GET /api/feeds. Fails on any browser console error. Screenshots at 1440x900 and 390x844.
 */
import { expect, type Page, test } from '@playwright/test';
import { feedsSnapshotSchema, type AssetPrices, type FeedsSnapshot } from '../../lib/schemas/feeds';
import { expectLineDrawn, gotoPage, screenshotDesktopAndPhone, startConsoleServer, watchErrors, type ConsoleServer } from './helpers';

/** The page's renderers, restated: prices with separators and the decimals of their size; signed divergence; — for none. */
const usd = (v: number | null | undefined) => {
  if (v == null) return '—';
  const dp = v >= 100 ? 2 : v >= 10 ? 3 : 4;
  return v.toLocaleString('en-US', { minimumFractionDigits: dp, maximumFractionDigits: dp });
};
const signed = (v: number | null | undefined, unit: 'usd' | 'bps', scale?: number | null) => {
  if (v == null) return '—';
  const sign = v > 0 ? '+' : v < 0 ? '−' : '';
  const dp = unit === 'usd' && scale != null && scale < 100 ? 4 : 2;
  return unit === 'usd' ? `${sign}$${Math.abs(v).toFixed(dp)}` : `${sign}${Math.abs(v).toFixed(2)} bps`;
};
/** The decade each asset's USD price lives in ([lowest, highest) power of ten). */
const MAGNITUDE: Record<string, [number, number]> = { btc: [1e4, 1e6], eth: [1e3, 1e4] };
const num = (text: string | null) => Number((text ?? '').replace(/[,$\s]/g, ''));

let server: ConsoleServer;
test.beforeAll(async () => {
  server = await startConsoleServer({ CONFIG_FILE: 'scripts/demo-config.json', LOG_LEVEL: 'warn' });
});
test.afterAll(async () => {
  await server?.stop();
});

async function apiFeeds(page: Page): Promise<FeedsSnapshot> {
  const res = await page.request.get(`${server.baseURL}/api/feeds`);
  expect(res.ok()).toBe(true);
  return feedsSnapshotSchema.parse(await res.json());
}

/** Per asset: latest reference, TWAP, spot, spot − ref (USD, bps), ref − TWAP (USD, bps). */
function assetTexts(a: AssetPrices): string[] {
  const row = a.points.at(-1);
  const scale = a.latest.ref?.priceUsd ?? a.latest.spot?.priceUsd ?? null;
  return [usd(a.latest.ref?.priceUsd), usd(a.latest.twap?.priceUsd), usd(a.latest.spot?.priceUsd), signed(row?.spotRefUsd, 'usd', scale), signed(row?.spotRefBps, 'bps'), signed(row?.refTwapUsd, 'usd', scale), signed(row?.refTwapBps, 'bps')];
}
const ASSET_IDS = ['ref', 'twap', 'spot', 'spot-ref-{a}-usd', 'spot-ref-{a}-bps', 'ref-twap-{a}-usd', 'ref-twap-{a}-bps'];

function expected(s: FeedsSnapshot): string[] {
  const out = s.assets.flatMap(assetTexts);
  for (const f of s.feeds) out.push(f.status, f.msgsPerSec.toFixed(1), String(f.badFrames), String(f.reconnects));
  return out;
}

/** What the page shows, in the order `expected` lists it. */
async function shown(page: Page, s: FeedsSnapshot): Promise<string[]> {
  const ids = s.assets.flatMap((a) => ASSET_IDS.map((id) => (id.includes('{a}') ? `latest-${id.replace('{a}', a.asset)}` : `latest-${id}-${a.asset}`)));
  for (const f of s.feeds) ids.push(`feed-${f.feed}-status`, `feed-${f.feed}-rate`, `feed-${f.feed}-bad`, `feed-${f.feed}-reconnects`);
  return Promise.all(ids.map(async (id) => ((await page.getByTestId(id).textContent()) ?? '').trim()));
}

test('feeds page: a reference row and a price panel per asset in its own magnitude; live charts; latest values equal GET /api/feeds', async ({ page }) => {
  test.setTimeout(150_000);
  const errors = watchErrors(page);
  await expect.poll(async () => (await apiFeeds(page)).assets.filter((a) => a.latest.ref && a.latest.twap).map((a) => a.asset).sort(), { timeout: 30_000 }).toEqual(['btc', 'eth']);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, `${server.baseURL}/feeds`);
  await expect(page.getByRole('link', { name: 'Feeds' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('feeds-view')).toHaveCount(1);

  // One panel and one reference row per asset the API prices, in that asset's magnitude.
  const api = await apiFeeds(page);
  const assets = api.assets.map((a) => a.asset);
  await expect(page.locator('[data-testid^="asset-feeds-"][data-asset]')).toHaveCount(assets.length);
  const priceRe = /^\d{1,3}(,\d{3})*\.\d{2}$/;
  for (const a of api.assets) {
    const [lo, hi] = MAGNITUDE[a.asset]!;
    await expect(page.getByTestId(`asset-row-${a.asset}`)).toBeVisible();
    for (const id of [`latest-ref-${a.asset}`, `latest-twap-${a.asset}`, `asset-row-live-${a.asset}`]) {
      await expect(page.getByTestId(id)).toHaveText(priceRe, { timeout: 20_000 });
      const v = num(await page.getByTestId(id).textContent());
      expect(v, `${id} = ${v}`).toBeGreaterThanOrEqual(lo);
      expect(v, `${id} = ${v}`).toBeLessThan(hi);
    }
    // The chart's price axis spans this asset's prices only.
    const chart = page.getByTestId(`price-chart-${a.asset}`);
    await expectLineDrawn(chart.locator('path.recharts-curve').first());
    // (Recharts draws the tick labels in a layer of their own: the price ones are those that are not times.)
    const ticks = (await chart.locator('text.recharts-cartesian-axis-tick-value').allTextContents()).filter((t) => !t.includes(':')).map(num);
    expect(ticks.length).toBeGreaterThan(1);
    for (const t of ticks) expect(t >= lo && t < hi, `${a.asset} axis tick ${t}`).toBe(true);
    // Its divergence: ref − TWAP always; spot − ref where the asset has a spot price (the demo's spot stream is BTC's).
    const div = page.getByTestId(`divergence-chart-${a.asset}`);
    await expectLineDrawn(div.locator('path.recharts-curve[name="ref − TWAP"]'));
    if (a.latest.spot) await expectLineDrawn(div.locator('path.recharts-curve[name="spot − ref"]'));
  }
  // BTC has spot too, so its spot − ref divergence is shown.
  expect(api.assets.find((a) => a.asset === 'btc')?.latest.spot?.priceUsd).toBeGreaterThan(0);
  await expect(page.getByTestId('latest-spot-btc')).toHaveText(priceRe);
  await expect(page.getByTestId('latest-spot-ref-btc-usd')).toHaveText(/^[+−]?\$\d+\.\d{2}$/);
  await expect(page.getByTestId('latest-spot-ref-btc-bps')).toHaveText(/^[+−]?\d+\.\d{2} bps$/);
  await page.getByTestId('divergence-unit-btc-usd').click();
  await expect(page.getByTestId('divergence-card-btc')).toHaveAttribute('data-unit', 'usd');
  await expect(page.getByTestId('divergence-chart-btc').locator('.recharts-label').filter({ hasText: 'USD' })).toBeVisible();

  // The asset filter narrows the panels and the reference rows, and is written into the URL.
  await page.getByTestId('sf-asset-eth').click();
  await expect(page.getByTestId('feeds-view')).toHaveAttribute('data-assets', 'eth');
  await expect(page.getByTestId('asset-feeds-btc')).toHaveCount(0);
  await expect(page.getByTestId('asset-row-btc')).toHaveCount(0);
  expect(new URL(page.url()).searchParams.get('asset')).toBe('eth');
  await page.getByTestId('sf-asset-all').click();
  await expect(page.getByTestId('feeds-view')).toHaveAttribute('data-assets', assets.join(','));

  // The chart grows while the page stays loaded: the live overlay, not a refetch, adds rows.
  const chart = page.getByTestId('price-chart-btc');
  const points = async () => Number(await chart.getAttribute('data-points'));
  let snapshotFetches = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/feeds') snapshotFetches++;
  });
  const before = await points();
  await expect.poll(points, { timeout: 20_000 }).toBeGreaterThan(before + 3);
  expect(snapshotFetches, 'rows came from the live stream, not from refetching the snapshot').toBe(0);
  await expect.poll(points, { timeout: 30_000 }).toBeGreaterThanOrEqual(20); // enough for a readable screenshot
  await expectLineDrawn(page.getByTestId('rate-chart').locator('path.recharts-curve').first());
  // The staleness timeline has bands for the reference, spot and market feeds.
  const used = (await apiFeeds(page)).feeds.map((f) => f.feed);
  expect(used).toEqual(expect.arrayContaining(['clob-market', 'spot']));
  for (const f of used) expect(Number(await page.getByTestId(`timeline-track-${f}`).getAttribute('data-intervals'))).toBeGreaterThan(0);
  await expect(page.getByText('time (UTC)').first()).toBeVisible();

  await screenshotDesktopAndPhone(page, 'feeds', page.getByTestId('price-chart-eth'));
  await page.setViewportSize({ width: 1440, height: 900 });

  // Freeze the data (stop the bot), then the page's latest values must be exactly the server's.
  expect((await page.request.post(`${server.baseURL}/api/bot/stop`, { data: { reason: 'e2e feeds page' } })).status()).toBe(200);
  let last: { page: string[]; api: string[] } = { page: [], api: [] };
  await expect
    .poll(
      async () => {
        const s = await apiFeeds(page);
        last = { api: expected(s), page: await shown(page, s) };
        return JSON.stringify(last.page) === JSON.stringify(last.api);
      },
      { timeout: 15_000, intervals: [500] },
    )
    .toBe(true);
  expect(last.page).toEqual(last.api);
  // Stopped feeds read as not open on the page too.
  for (const f of used) await expect(page.getByTestId(`feed-${f}-status`)).not.toHaveText('open');
  expect(errors).toEqual([]);
});
