/**
 * Issue 14's two console additions in Chromium against the default e2e server (VENUE=sim, paper: the embedded
 * simulator serves both external sources and the paper ledger publishes `risk.balance`):
 * - the Feeds page's External signals panel lists each source GET /api/feeds reports (putCallRatio and fearGreed),
 *   and each row's source, status, raw value, score, direction, confidence, failure and bad-body counters equal the
 *   API's; the served value's age is shown exactly when the API says a value is served;
 * - the dashboard's Balance card shows the source, available, equity, cash, session high and drawdown (with its tone
 *   from risk.balanceDropAlertPct) of GET /api/trading's `balance`.
 * The page and the API are read in one retried round (the bot keeps running, so a poll may land between the two).
 * Fails on any browser console error. Screenshots at 1440x900 and 390x844.
 */
import { expect, type Page, test } from '@playwright/test';
import { formatUsd } from '../../lib/format';
import { feedsSnapshotSchema, type FeedsSnapshot } from '../../lib/schemas/feeds';
import { tradingSnapshotSchema, type TradingSnapshot } from '../../lib/schemas/trading';
import { formatFraction, formatSignalDirection, formatSignalRaw, formatSignalScore } from '../../components/feeds/external-format';
import { balanceSourceLabel, drawdownTone, formatDrawdown } from '../../components/dashboard/balance-format';
import { gotoPage, screenshotDesktopAndPhone, watchErrors } from './helpers';

async function apiFeeds(page: Page): Promise<FeedsSnapshot> {
  const res = await page.request.get('/api/feeds');
  expect(res.ok()).toBe(true);
  return feedsSnapshotSchema.parse(await res.json());
}
async function apiTrading(page: Page): Promise<TradingSnapshot> {
  const res = await page.request.get('/api/trading');
  expect(res.ok()).toBe(true);
  return tradingSnapshotSchema.parse(await res.json());
}

test('the Feeds page lists every external signal source with the values GET /api/feeds reports', async ({ page }) => {
  const errors = watchErrors(page);
  // The runtime polls both sources at start: wait until the read model has both.
  await expect.poll(async () => (await apiFeeds(page)).externalSignals?.map((r) => r.id) ?? [], { timeout: 30_000 }).toEqual(['fearGreed', 'putCallRatio']);
  await gotoPage(page, '/feeds');
  const card = page.getByTestId('external-signals-card');
  await expect(card.getByTestId('external-signal-row')).toHaveCount(2);
  await expect(async () => {
    const api = await apiFeeds(page);
    const rows = api.externalSignals ?? [];
    const want = rows.map((r) => [r.id, r.source, r.ok ? 'ok' : 'failing', formatSignalRaw(r.raw), formatSignalScore(r.score), formatSignalDirection(r.direction), formatFraction(r.confidence), String(r.failures), String(r.badBodies), r.servedAgeMs === null]);
    const got = [];
    for (const r of rows) {
      const tr = card.locator(`[data-testid="external-signal-row"][data-id="${r.id}"]`);
      const text = (id: string) => tr.getByTestId(id).innerText();
      got.push([r.id, await text('ext-source'), await text('ext-status'), await text('ext-raw'), await text('ext-score'), await text('ext-direction'), await text('ext-confidence'), await text('ext-failures'), await text('ext-bad-bodies'), (await text('ext-age')) === 'none served']);
    }
    expect(got).toEqual(want);
    // The simulator's sources answer: a served value, and a real reading (a score in [-1, 1]).
    for (const r of rows) expect([r.ok, r.raw !== null, r.score !== null]).toEqual([true, true, true]);
  }).toPass({ timeout: 20_000 });
  await expect(card.getByTestId('external-signals-empty')).toHaveCount(0);
  await screenshotDesktopAndPhone(page, 'feeds-external', card.getByTestId('external-signals-table'));
  expect(errors).toEqual([]);
});

test('the dashboard Balance card shows GET /api/trading balance: available, equity, high, drawdown and its tone', async ({ page }) => {
  const errors = watchErrors(page);
  await expect.poll(async () => (await apiTrading(page)).balance?.source ?? null, { timeout: 30_000 }).toBe('paper');
  await gotoPage(page, '/');
  const card = page.getByTestId('balance-card');
  await expect(card).toBeVisible();
  const usdOr = (v: number | null) => (v === null ? 'unknown' : formatUsd(v));
  await expect(async () => {
    const b = (await apiTrading(page)).balance!;
    const want = [balanceSourceLabel[b.source], usdOr(b.availableUsd), usdOr(b.equityUsd), usdOr(b.balanceUsd), usdOr(b.highUsd), formatDrawdown(b.drawdown), drawdownTone(b.drawdown, b.dropAlertPct)];
    const got = [
      await card.getByTestId('balance-source').innerText(), await card.getByTestId('balance-available').innerText(), await card.getByTestId('balance-equity').innerText(),
      await card.getByTestId('balance-cash').innerText(), await card.getByTestId('balance-high').innerText(), await card.getByTestId('balance-drawdown').innerText(),
      await card.getByTestId('balance-drawdown').locator('[data-tone]').getAttribute('data-tone'),
    ];
    expect(got).toEqual(want);
    // The paper ledger was read: known figures and no error.
    expect([b.balanceUsd !== null, b.error, b.readAtMs !== null]).toEqual([true, null, true]);
  }).toPass({ timeout: 20_000 });
  await expect(card.getByTestId('balance-error')).toHaveCount(0);
  await expect(card.getByTestId('balance-read-age')).toHaveText(/ ago$/);
  await screenshotDesktopAndPhone(page, 'dashboard-balance', card);
  expect(errors).toEqual([]);
});
