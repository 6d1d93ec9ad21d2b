/**
 * The Strategy page (/strategy) and GET /api/strategy on the built console with the simulator in paper mode: the
 * instance list follows the config, unknown / malformed ids are refused, the page shows the latest decision the API
 * has (and keeps following it live), the decision log filters by action, the charts draw the hammer's p̂ / ask / EV / z
 * per series (the runtime's key, `btc-300`, labelled BTC 5m), the instance's orders / PnL panels render, no browser
 * console error, screenshots at 1440x900 and 390x844.
 *
 * The hammer evaluates only in the last `hammerSecs` (15 s) of a window, so the chart test widens that window with a
 * hot config change for its duration (and reverts it), instead of waiting up to five minutes for a window end.
 */
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { windowLabel } from '../../components/ui/window-label';
import { strategyViewSchema, type StrategyView } from '../../lib/schemas/strategy-view';
import { screenshotDesktopAndPhone, watchErrors, gotoPage, expectLineDrawn } from './helpers';

test.describe.configure({ mode: 'serial' });

async function view(request: APIRequestContext, id?: string): Promise<StrategyView> {
  const r = await request.get(id ? `/api/strategy?id=${id}` : '/api/strategy');
  expect(r.status()).toBe(200);
  return strategyViewSchema.parse(await r.json());
}

/** Wait until the instance has at least one decision in the API, and return that view. */
async function withDecisions(request: APIRequestContext, id: string, timeout = 45_000): Promise<StrategyView> {
  let v: StrategyView | undefined;
  await expect.poll(async () => ((v = await view(request, id)).strategy?.decisions.length ?? 0), { timeout, intervals: [500] }).toBeGreaterThan(0);
  return v!;
}

/** The page's latest decision card: seq, action, reason and window as shown (read in one go: it re-renders live). */
async function shownLatest(page: Page) {
  return page.getByTestId('latest-decision').evaluate((card) => {
    const text = (id: string) => card.querySelector(`[data-testid="${id}"]`)?.textContent ?? null;
    return { seq: Number(card.querySelector('[data-seq]')?.getAttribute('data-seq')), action: text('latest-action'), reason: text('latest-reason'), window: text('latest-window') };
  });
}

/** The page shows (at least) the newest decision the API had, and what it shows is that decision as the API has it. */
async function expectLatestMatchesApi(page: Page, request: APIRequestContext, id: string) {
  const before = (await view(request, id)).strategy!.decisions[0]!.seq;
  await expect.poll(async () => (await shownLatest(page)).seq, { timeout: 10_000 }).toBeGreaterThanOrEqual(before);
  const shown = await shownLatest(page);
  const row = (await view(request, id)).strategy!.decisions.find((d) => d.seq === shown.seq);
  expect(row, `decision seq ${shown.seq} in the API`).toBeDefined();
  expect(shown).toEqual({ seq: row!.seq, action: row!.record.action, reason: row!.record.reason, window: windowLabel(row!.record.windowSlug) });
  return shown;
}

test('GET /api/strategy lists the configured instances and refuses unknown or malformed ids', async ({ request }) => {
  const v = await view(request);
  const cfg = (await (await request.get('/api/config')).json()) as { config: { strategies: { id: string; type: string }[] } };
  expect(v.instances.filter((i) => i.configured).map((i) => [i.id, i.type])).toEqual(cfg.config.strategies.map((s) => [s.id, s.type]));
  expect(v.strategy?.id).toBe(cfg.config.strategies[0]!.id);
  expect(v.instances.find((i) => i.id === 'maker')).toMatchObject({ enabled: false });

  const missing = await request.get('/api/strategy?id=no-such-strategy');
  expect(missing.status()).toBe(404);
  const err = (await missing.json()).error;
  expect(err.code).toBe('not_found');
  expect(err.message).toContain("unknown strategy instance 'no-such-strategy'");
  expect(err.message).toContain('hammer');

  const bad = await request.get('/api/strategy?id=../../etc');
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.fields[0].path).toBe('id');
});

test('time-bucket: the latest decision matches the API, the log filters by action, orders and PnL render', async ({ page, request }) => {
  const errors = watchErrors(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await withDecisions(request, 'time-bucket');
  await gotoPage(page, '/strategy?id=time-bucket');
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  await expect(page.getByTestId('instance-time-bucket')).toHaveAttribute('aria-pressed', 'true');
  await expectLatestMatchesApi(page, request, 'time-bucket');

  // The table's newest row is the latest decision; filters keep only their action.
  const table = page.getByTestId('decision-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  for (const action of ['evaluated', 'skipped', 'traded'] as const) {
    await page.getByTestId(`filter-${action}`).click();
    const actions = await page.locator('[data-testid="decision-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    expect(actions.every((a) => a === action), `${action}: ${actions.join(',')}`).toBe(true);
    if (actions.length === 0) await expect(page.getByTestId('decisions-empty')).toBeVisible();
  }
  await page.getByTestId('filter-all').click();

  const api = (await view(request, 'time-bucket')).strategy!;
  await expect(page.getByTestId('strategy-pnl')).toBeVisible();
  await expect(page.getByTestId('counts-final')).toHaveText(new RegExp(`^\\d+ / \\d+$`));
  if (api.orders.length > 0) await expect(page.getByTestId('strategy-orders').locator('tbody tr').first()).toBeVisible();
  else await expect(page.getByTestId('strategy-orders-empty')).toBeVisible();
  // time-bucket publishes no p̂ / EV figures: the charts say so instead of drawing empty axes.
  if (api.series.every((s) => s.points.length === 0)) await expect(page.getByTestId('charts-empty')).toBeVisible();

  await screenshotDesktopAndPhone(page, 'strategy-time-bucket', page.getByTestId('decision-log'));
  expect(errors).toEqual([]);
});

test('hammer: p̂ versus ask, EV and z are drawn from live evaluations and the page follows them live', async ({ page, request }) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  const cfg = (await (await request.get('/api/config')).json()) as { version: number; config: { strategies: { id: string; params: Record<string, unknown> }[] } };
  const strategies = cfg.config.strategies.map((s) => (s.id === 'hammer' ? { ...s, params: { ...s.params, hammerSecs: 300 } } : s));
  const patched = await request.patch('/api/config', { data: { patch: { strategies }, reason: 'e2e strategy page: hammer evaluates all window long', expectVersion: cfg.version } });
  expect(patched.status(), await patched.text()).toBe(200);
  try {
    await expect
      .poll(async () => (await view(request, 'hammer')).strategy!.series.reduce((n, s) => n + s.points.length, 0), { timeout: 60_000, intervals: [1_000] })
      .toBeGreaterThan(3);
    await page.setViewportSize({ width: 1440, height: 900 });
    await gotoPage(page, '/strategy');
    await page.getByTestId('instance-hammer').click();
    await expect(page).toHaveURL(/\/strategy\?id=hammer$/);
    await expect(page.getByTestId('strategy-page')).toHaveAttribute('data-strategy', 'hammer');
    const first = await expectLatestMatchesApi(page, request, 'hammer');

    const charts = page.getByTestId('decision-charts');
    await expect.poll(async () => Number(await charts.getAttribute('data-points'))).toBeGreaterThan(1);
    // Charts are per series (asset × window length, the runtime's key), named as the filter names them.
    const keys = (await view(request, 'hammer')).strategy!.series.map((x) => x.key);
    for (const k of keys) expect(k).toMatch(/^btc-(300|900)$/);
    await expect(charts).toHaveAttribute('data-series', /^btc-(300|900)$/);
    const label = (k: string) => `BTC ${k === 'btc-300' ? '5m' : '15m'}`;
    await expect(charts).toContainText(label((await charts.getAttribute('data-series'))!));
    for (const [chart, unit] of [['prob-chart', 'probability'], ['ev-chart', 'EV (¢ / share)'], ['z-chart', 'z (σ)']] as const) {
      await expect(page.getByTestId(chart).locator('.recharts-label').filter({ hasText: unit })).toBeVisible();
      await expect(page.getByTestId(chart).locator('.recharts-label').filter({ hasText: 'time (UTC)' })).toBeVisible();
      await expectLineDrawn(page.getByTestId(chart).locator('path.recharts-line-curve').first());
    }
    // The page moves on without a reload, and still shows what the API has.
    await expect.poll(async () => (await shownLatest(page)).seq, { timeout: 15_000 }).toBeGreaterThan(first.seq);
    await expectLatestMatchesApi(page, request, 'hammer');
    await page.getByTestId('filter-evaluated').click();
    await expect(page.locator('[data-testid="decision-table"] tbody tr').first()).toHaveAttribute('data-action', 'evaluated');
    await page.getByTestId('filter-all').click();

    await screenshotDesktopAndPhone(page, 'strategy-hammer', page.getByTestId('prob-chart'));
    expect(errors).toEqual([]);
  } finally {
    const revert = await request.post('/api/config/revert', { data: { version: cfg.version, reason: 'e2e strategy page: restore hammerSecs' } });
    expect(revert.status(), await revert.text()).toBe(200);
  }
});
