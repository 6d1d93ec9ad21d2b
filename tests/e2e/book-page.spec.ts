/**
 * The Book page in Chromium against the simulator: the current window's Up and Down books (top of book, depth ladders)
 * and the mid / spread charts render with live data; every figure checked is the one of the GET /api/book response the
 * page drew (matched by the snapshot's bus seq); the series picker switches to the BTC 15m window and the URL keeps it
 * (`?series=btc-900`), a link with the series filter (`?asset=btc&kind=15m`) opens that series; a bad query is a 400;
 * no browser console error; screenshots at 1440x900 and 390x844.
 */
import { expect, type Page, test } from '@playwright/test';
import { bookSnapshotSchema, type BookSnapshot } from '../../lib/schemas/book';
import { screenshotDesktopAndPhone, watchErrors, gotoPage, expectLineDrawn } from './helpers';

/** Every /api/book answer the page received, by bus seq (and series). */
function recordResponses(page: Page): Map<string, BookSnapshot> {
  const seen = new Map<string, BookSnapshot>();
  page.on('response', (r) => {
    if (!r.url().includes('/api/book?') || r.status() !== 200) return;
    r.json()
      .then((b: unknown) => {
        const s = bookSnapshotSchema.parse(b);
        seen.set(`${s.series}:${s.seq}`, s);
      })
      .catch(() => {});
  });
  return seen;
}

const num = (text: string) => Number(text.replace(/[¢$,]/g, ''));

/** What the page shows now (read in one go, with the seq of the snapshot it was drawn from). */
async function shown(page: Page) {
  return page.evaluate(() => {
    const t = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? null;
    const root = document.querySelector('[data-testid="book-page"]') as HTMLElement | null;
    const side = (o: string) => ({
      bid: t(`book-top-${o}-bid`),
      ask: t(`book-top-${o}-ask`),
      bidSize: t(`book-top-${o}-bidsize`),
      askSize: t(`book-top-${o}-asksize`),
      spread: t(`book-top-${o}-spread`),
      mid: t(`book-top-${o}-mid`),
      ladderBid0: [...(document.querySelector(`[data-testid="ladder-${o}-bid-0"]`)?.querySelectorAll('td') ?? [])].map((c) => c.textContent ?? ''),
      ladderAsk0: [...(document.querySelector(`[data-testid="ladder-${o}-ask-0"]`)?.querySelectorAll('td') ?? [])].map((c) => c.textContent ?? ''),
    });
    return { seq: Number(root?.dataset.seq), series: root?.dataset.series ?? '', slug: t('book-window-slug'), up: side('up'), down: side('down') };
  });
}

async function expectShownMatchesApi(page: Page, seen: Map<string, BookSnapshot>, series: 'btc-300' | 'btc-900') {
  let view: Awaited<ReturnType<typeof shown>> | undefined;
  let snap: BookSnapshot | undefined;
  await expect
    .poll(async () => {
      view = await shown(page);
      snap = seen.get(`${view.series}:${view.seq}`);
      return view.series === series && !!snap && snap.sides.every((s) => s.ready);
    }, { timeout: 20_000 })
    .toBe(true);
  expect(view!.slug).toBe(snap!.window.slug);
  for (const [i, o] of (['up', 'down'] as const).entries()) {
    const side = snap!.sides[i]!;
    const v = view![o];
    expect(side.outcome).toBe(o);
    expect(num(v.bid!)).toBeCloseTo(side.top!.bestBid!, 4);
    expect(num(v.ask!)).toBeCloseTo(side.top!.bestAsk!, 4);
    expect(num(v.bidSize!)).toBeCloseTo(side.top!.bidSize!, 1);
    expect(num(v.askSize!)).toBeCloseTo(side.top!.askSize!, 1);
    expect(num(v.spread!) / 100).toBeCloseTo(side.top!.bestAsk! - side.top!.bestBid!, 4);
    expect(num(v.mid!)).toBeCloseTo((side.top!.bestAsk! + side.top!.bestBid!) / 2, 3);
    // The ladders start at the touch: their first rows are the top of book.
    expect(num(v.ladderBid0[0]!)).toBeCloseTo(side.bids[0]!.price, 4);
    expect(num(v.ladderBid0[1]!)).toBeCloseTo(side.bids[0]!.size, 1);
    expect(num(v.ladderAsk0[0]!)).toBeCloseTo(side.asks[0]!.price, 4);
    expect(side.bids[0]!.price).toBe(side.top!.bestBid);
    expect(side.asks[0]!.price).toBe(side.top!.bestAsk);
  }
}

test('the Book page shows the live books of the current window as GET /api/book gives them', async ({ page, request }) => {
  const errors = watchErrors(page);
  const seen = recordResponses(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/book');
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  await expect(page.getByTestId('book-ladder-up')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('book-ladder-down')).toBeVisible();

  // The API on its own: the window of the clock, both books live and consistent.
  const api = bookSnapshotSchema.parse(await (await request.get('/api/book?series=btc-300')).json());
  expect(api.tradingUp).toBe(true);
  expect([api.series, api.asset, api.window.kind]).toEqual(['btc-300', 'btc', '5m']);
  expect(api.seriesOptions.map((o) => [o.key, o.enabled])).toEqual([['btc-300', true], ['btc-900', true]]);
  expect(api.window.slug).toMatch(/^btc-updown-5m-\d+$/);
  expect(api.nowMs).toBeGreaterThanOrEqual(api.window.startMs);
  expect(api.nowMs).toBeLessThan(api.window.endMs);
  for (const s of api.sides) {
    expect(s.tokenId).not.toBeNull();
    expect(s.bids.length).toBeGreaterThan(0);
    expect(s.bids.length).toBeLessThanOrEqual(api.limits.ladderDepth);
    for (let i = 1; i < s.bids.length; i++) expect(s.bids[i]!.price).toBeLessThan(s.bids[i - 1]!.price);
    for (let i = 1; i < s.asks.length; i++) expect(s.asks[i]!.price).toBeGreaterThan(s.asks[i - 1]!.price);
  }

  await expectShownMatchesApi(page, seen, 'btc-300');

  // The history fills: the mid chart has points (at most one per second) from the sampled top of book.
  await expect(page.getByTestId('book-mid-chart')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('book-spread-chart')).toBeVisible();
  // A few seconds of samples, so that the screenshot shows lines rather than a dot.
  await expect.poll(async () => Number(await page.getByTestId('book-mid-chart').getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(6);
  await expectLineDrawn(page.locator('[data-testid="book-mid-chart"] .recharts-line-curve').first());
  await expect(page.getByTestId('book-mid-card')).toContainText('time (UTC)');
  await expect(page.getByTestId('book-mid-card')).toContainText('mid (probability)');
  await expect(page.getByTestId('book-spread-card')).toContainText('spread (¢)');
  await screenshotDesktopAndPhone(page, 'book-5m', page.getByTestId('book-ladder-up'));

  // The picker: the 15m window, also from the API response the page drew.
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('book-series-btc-900').click();
  await expect(page.getByTestId('book-series-btc-900')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('book-window-slug')).toHaveText(/^btc-updown-15m-\d+$/);
  expect(page.url()).toContain('series=btc-900');
  await expectShownMatchesApi(page, seen, 'btc-900');
  await expect(page.getByTestId('book-mid-chart')).toBeVisible({ timeout: 20_000 });
  await screenshotDesktopAndPhone(page, 'book-15m', page.getByTestId('book-ladder-up'));

  // A link with the series filter opens that series (rendered on the server), the chips showing the filter.
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/book?asset=btc&kind=15m');
  await expect(page.getByTestId('book-window-slug')).toHaveText(/^btc-updown-15m-\d+$/);
  await expect(page.getByTestId('sf-kind-15m')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('book-series-btc-900')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('book-series-btc-300')).toHaveCount(0); // the filter leaves the 15m series only

  expect(errors).toEqual([]);
});

test('GET /api/book refuses a bad query with 400 and names the field', async ({ request }) => {
  for (const [q, field] of [['series=btc-7', 'series'], ['series=BTC', 'series'], ['kind=5x', 'kind'], ['asset=Btc1', 'asset'], ['series=btc-300&sinceMs=abc', 'sinceMs']] as const) {
    const res = await request.get(`/api/book?${q}`);
    expect(res.status()).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields?: { path: string }[] } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.fields?.map((f) => f.path)).toContain(field);
  }
  const ok = bookSnapshotSchema.parse(await (await request.get('/api/book')).json());
  expect(ok.series).toBe('btc-300'); // no query: the first switched-on series
  // Any series, configured or not: its current window from the clock (the hourly one by its own slug scheme).
  const hourly = bookSnapshotSchema.parse(await (await request.get('/api/book?asset=eth&kind=1h')).json());
  expect([hourly.series, hourly.window.kind]).toEqual(['eth-3600', '1h']);
  expect(hourly.window.slug).toMatch(/^ethereum-up-or-down-[a-z]+-\d{1,2}-\d{1,2}(am|pm)-et$/);
  expect(hourly.window.endMs - hourly.window.startMs).toBe(3_600_000);
  expect(hourly.sides.map((x) => x.tokenId)).toEqual([null, null]);
});
