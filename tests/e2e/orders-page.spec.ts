/**
 * The Orders & PnL page in Chromium against the simulator (paper trading): once the bot has placed orders, the page
 * shows GET /api/orders's orders (price, state, filled size of a settled-in-state order), its strategies and its
 * realised PnL; the CSV downloads parse (RFC 4180) into the API's rows; the equity chart draws; the browser logs no
 * error. Then the dashboard's fills and positions tables at 390 px scroll inside their cards instead of clipping.
 * Screenshots at desktop and phone sizes.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ordersResponseSchema, type OrdersResponse } from '../../lib/schemas/orders';
import { screenshotDesktopAndPhone, status, watchErrors, gotoPage } from './helpers';
import { parseCsv } from '../helpers/csv';

test.describe.configure({ mode: 'serial' });

async function orders(request: APIRequestContext, qs = ''): Promise<OrdersResponse> {
  const res = await request.get(`/api/orders${qs}`);
  expect(res.status()).toBe(200);
  return ordersResponseSchema.parse(await res.json());
}

/** The page's renderers, restated: probabilities 2 dp (3 when needed), shares integer or ≤ 2 dp, signed USD. */
const prob = (p: number) => (Math.round(p * 1000) % 10 === 0 ? p.toFixed(2) : p.toFixed(3));
const shares = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(2).replace(/0$/, ''));
const signedUsd = (v: number) => {
  const r = Number(v.toFixed(2));
  return r === 0 ? '$0.00' : `${r > 0 ? '+' : '−'}$${Math.abs(r).toFixed(2)}`;
};

test('orders, fills, PnL and the equity curve as the API reports them; CSV downloads parse', async ({ page, request }) => {
  test.setTimeout(240_000);
  const errors = watchErrors(page);
  await expect.poll(async () => (await status(request)).state, { timeout: 30_000 }).toBe('running');
  // Paper trading on the simulator places its first orders and takes its first fill within a minute or two.
  await expect.poll(async () => (await orders(request)).fillsTotal, { timeout: 180_000, intervals: [2_000] }).toBeGreaterThan(0);

  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, '/orders');
  await expect(page.getByTestId('orders-table')).toBeVisible();

  // An order that will not change any more (terminal), else the oldest: its row shows the API's values.
  const m = await orders(request);
  expect(m.source).toBe('session');
  const o = m.orders.find((x) => ['filled', 'canceled', 'rejected'].includes(x.state)) ?? m.orders[m.orders.length - 1]!;
  const row = page.locator(`[data-testid="order-row"][data-tag="${o.clientTag}"]`);
  await expect(row.getByTestId('order-price')).toHaveText(prob(o.price));
  if (['filled', 'canceled', 'rejected'].includes(o.state)) {
    await expect(row.getByTestId('order-state')).toContainText(o.state);
    await expect(row.getByTestId('order-filled')).toHaveText(shares(o.filledSize));
  }
  // Every strategy of the API has its PnL row, and the page's figures equal the API's (polled: they move with fills).
  for (const s of m.strategies) await expect(page.locator(`[data-testid="strategy-pnl-row"][data-strategy="${s.strategyId}"]`)).toBeVisible();
  await expect
    .poll(async () => {
      const now = await orders(request);
      return (await page.getByTestId('pnl-realized').textContent()) === signedUsd(now.equity.realizedUsd);
    }, { timeout: 15_000 })
    .toBe(true);

  // There is a fill: the equity chart draws a line (every fill is a step, its fee at least), the fills table lists
  // the API's newest fill and the positions table the API's positions.
  const withFills = await orders(request);
  const chart = page.getByTestId('equity-chart');
  await expect(chart).toBeVisible();
  await expect(chart.locator('path.recharts-line-curve').first()).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);
  expect(withFills.equity.events).toBeGreaterThanOrEqual(withFills.fills.filter((f) => f.status !== 'FAILED').length);
  const firstFill = withFills.fills[withFills.fills.length - 1]!;
  // One trade can fill several of our orders (maker and taker legs): a fill is its trade id and its order's tag.
  const fillRow = page.locator(`[data-testid="fill-row"][data-trade="${firstFill.tradeId}"][data-tag="${firstFill.clientTag ?? ''}"]`);
  await expect(fillRow.getByTestId('fill-price')).toHaveText(prob(firstFill.price));
  await expect(fillRow.getByTestId('fill-size')).toHaveText(shares(firstFill.size));
  await expect(page.getByTestId('positions-table')).toBeVisible();
  const posRows = page.getByTestId('positions-table').locator('tbody tr');
  await expect.poll(async () => posRows.count(), { timeout: 10_000 }).toBe((await orders(request)).positions.length);

  // CSV: the orders download from the page parses into the API's rows (the tag of the row checked above included).
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-orders').click()]);
  expect(download.suggestedFilename()).toMatch(/^orders-.*\.csv$/);
  const csv = parseCsv(readFileSync((await download.path())!, 'utf8'));
  const header = csv[0]!;
  expect(header).toEqual(expect.arrayContaining(['client_tag', 'strategy', 'price', 'state']));
  const tagCol = header.indexOf('client_tag');
  const priceCol = header.indexOf('price');
  const mine = csv.slice(1).find((r) => r[tagCol] === o.clientTag);
  expect(mine, 'the downloaded orders include the order shown').toBeTruthy();
  expect(Number(mine![priceCol])).toBe(o.price);
  expect(csv.slice(1).every((r) => r.length === header.length)).toBe(true);
  const after = await orders(request);
  expect(csv.length - 1).toBeGreaterThanOrEqual(m.ordersTotal);
  expect(csv.length - 1).toBeLessThanOrEqual(after.ordersTotal);

  // The other tables through the API: headers, one row per record, the same ids as the JSON.
  for (const table of ['fills', 'positions', 'settlements'] as const) {
    const res = await request.get(`/api/orders?format=csv&table=${table}`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toMatch(new RegExp(`^attachment; filename="${table}-`));
    const rows = parseCsv(await res.text());
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.slice(1).every((r) => r.length === rows[0]!.length)).toBe(true);
  }
  const fillsCsv = parseCsv(await (await request.get('/api/orders?format=csv&table=fills')).text());
  const fillsJson = await orders(request, `?limit=2000`);
  const idCol = fillsCsv[0]!.indexOf('trade_id');
  const csvIds = new Set(fillsCsv.slice(1).map((r) => r[idCol]));
  // Fills taken before the CSV was read are all in it.
  for (const f of fillsJson.fills) if (f.tsMs <= after.nowMs) expect(csvIds.has(f.tradeId)).toBe(true);
  expect(Math.abs(fillsCsv.length - 1 - fillsJson.fillsTotal)).toBeLessThanOrEqual(5);

  // Bad parameters: 400 with the parameter named.
  const bad = await request.get('/api/orders?format=csv&table=trades');
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toContain('table');

  await screenshotDesktopAndPhone(page, 'orders', page.getByTestId('orders-table'));
  // At 390 px the wide tables scroll inside their cards.
  for (const id of ['orders-scroll', 'fills-scroll']) {
    const el = page.getByTestId(id);
    if (await el.count()) expect(await el.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
  }
  expect(errors).toEqual([]);
});

test('dashboard fills and positions tables scroll inside their cards at 390 px instead of clipping', async ({ page }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await gotoPage(page, '/');
  await expect(page.getByTestId('fills-table')).toBeVisible({ timeout: 20_000 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  for (const [scroll, table] of [['fills-scroll', 'fills-table'], ['positions-scroll', 'positions-table']] as const) {
    // The first test waited for a fill, so both tables have rows.
    await expect(page.getByTestId(table)).toBeVisible();
    await page.getByTestId(table.replace('-table', '-card')).screenshot({ path: `test-results/screenshots/dashboard-${table}-mobile.png` });
    const box = await page.getByTestId(scroll).evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth, overflow: getComputedStyle(e).overflowX }));
    expect(box.overflow).toBe('auto');
    expect(box.scroll).toBeGreaterThan(box.client);
    // Every numeric cell shows its whole text (no ellipsis): its content fits its box.
    const clipped = await page.getByTestId(table).locator('td.text-right').evaluateAll((tds) => tds.filter((td) => td.scrollWidth > td.clientWidth + 1).length);
    expect(clipped).toBe(0);
  }
  await page.screenshot({ path: 'test-results/screenshots/dashboard-tables-mobile.png', fullPage: true });
  expect(errors).toEqual([]);
});
