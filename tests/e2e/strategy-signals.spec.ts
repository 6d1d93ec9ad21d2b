/**
 * The Strategy page's Signals and Learning cards (issue 14) on the built console with the simulator in paper mode.
 * The strategies may not publish signals yet, so the spec publishes `strategy.signal` / `learning.update` events into
 * the runtime through the test-only POST /api/test/publish (UPDOWN_ENABLE_TEST_ROUTES) for the configured, disabled
 * `maker` instance, then checks: GET /api/strategy carries them per instance (latest per window, chart history,
 * learning), the route refuses malformed events, the page shows exactly the API's summary / readings / model outputs /
 * learning rows, draws the chart, follows a new record live, shows the empty state for an instance without signals,
 * no browser console error, screenshots at 1440x900 and 390x844.
 */
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { fmtDirection, fmtModel, fmtPct, fmtShare, fmtSignalValue, fmtWeight } from '../../components/strategy/signal-format';
import { windowLabel } from '../../components/ui/window-label';
import type { LearningUpdate, SignalRecord } from '../../lib/schemas/events';
import { strategyViewSchema, type StrategyView } from '../../lib/schemas/strategy-view';
import { expectLineDrawn, gotoPage, screenshotDesktopAndPhone, watchErrors } from './helpers';

const ID = 'maker';
const T0 = Math.floor(Date.now() / 300_000) * 300_000;
const W1 = `btc-updown-5m-${T0 / 1000}`;
const W2 = `btc-updown-5m-${T0 / 1000 + 300}`;

async function view(request: APIRequestContext, id: string): Promise<StrategyView> {
  const r = await request.get(`/api/strategy?id=${id}`);
  expect(r.status()).toBe(200);
  return strategyViewSchema.parse(await r.json());
}

async function publish(request: APIRequestContext, data: { type: 'strategy.signal'; record: SignalRecord } | { type: 'learning.update'; update: LearningUpdate }): Promise<number> {
  const r = await request.post('/api/test/publish', { data });
  expect(r.status(), await r.text()).toBe(200);
  return ((await r.json()) as { seq: number }).seq;
}

function record(i: number, windowSlug: string, summary: string): SignalRecord {
  const flow = Math.sin(i / 3);
  return {
    strategyId: ID, strategyType: 'maker', windowSlug, atMs: T0 + i * 1_000, summary,
    readings: [
      { id: 'flowImbalance', value: flow * 0.4, direction: flow >= 0 ? 1 : -1, strength: Math.abs(flow), confidence: 0.8, weight: 0.3, active: true, effect: `spread +${(Math.abs(flow) * 0.02).toFixed(3)}` },
      { id: 'bookImbalance', value: -0.12, direction: -1, strength: 0.24, confidence: 0.55, weight: 0.25, active: true, effect: 'skew −1 tick' },
      { id: 'regime', value: 0.031, state: 'thin', active: true, effect: 'size ×0.50' },
      { id: 'markout', value: 0.0042, direction: 0, strength: 0, confidence: 0.2, weight: 0.1, state: 'benign', active: false },
      { id: 'ext:putCallRatio', value: 1.284, direction: 1, strength: 0.41, confidence: 0.6, weight: 0.18, active: true, effect: 'vote +0.07' },
    ],
    model: { spread: 0.04, sizeShares: 12.5, kellyFraction: 0.25, paused: false, regime: 'thin' },
  };
}

/** Publish 12 records of window W1, one of W2 and a learning update for `maker` (each test seeds its own data). */
async function seed(request: APIRequestContext): Promise<{ lastSeq: number; w1LastSeq: number; learnSeq: number }> {
  let w1LastSeq = 0;
  for (let i = 0; i < 12; i++) w1LastSeq = await publish(request, { type: 'strategy.signal', record: record(i, W1, `W1 quote ${i}: flow ${i % 2 ? 'favours Up' : 'neutral'}, spread 0.04`) });
  const lastSeq = await publish(request, { type: 'strategy.signal', record: record(12, W2, 'quoted 0.47 / 0.53 on the new window: book leans Down, spread widened by flow') });
  const learnSeq = await publish(request, {
    type: 'learning.update',
    update: { strategyId: ID, trades: 40, before: { flowImbalance: 0.3, bookImbalance: 0.25 }, after: { flowImbalance: 0.33, bookImbalance: 0.22 }, accuracy: { flowImbalance: 0.62, bookImbalance: 0.41 }, reason: 'every 40 settled trades', configVersion: 7 },
  });
  return { lastSeq, w1LastSeq, learnSeq };
}

/** The Signals card as shown: summary, window, and each reading row's cells (read in one go: it re-renders live). */
async function shownSignals(page: Page) {
  return page.getByTestId('signals-card').evaluate((card) => {
    const text = (el: Element | null) => el?.textContent?.trim() ?? null;
    return {
      seq: Number(card.querySelector('[data-seq]')?.getAttribute('data-seq')),
      summary: text(card.querySelector('[data-testid="signals-summary"]')),
      window: text(card.querySelector('[data-testid="signals-window"]')),
      rows: [...card.querySelectorAll('[data-testid="reading-row"]')].map((tr) =>
        Object.fromEntries([...tr.querySelectorAll('[data-cell]')].map((td) => [td.getAttribute('data-cell'), td.textContent?.trim()])),
      ),
      model: [...card.querySelectorAll('[data-testid="model-item"]')].map((d) => [d.getAttribute('data-key'), text(d.querySelector('[data-cell="model-value"]'))]),
    };
  });
}

function expectedSignals(v: StrategyView) {
  const row = v.strategy!.signals!.latest[0]!;
  const r = row.record;
  return {
    seq: row.seq,
    summary: r.summary,
    window: windowLabel(r.windowSlug!),
    rows: r.readings.map((x) => ({
      id: x.id, value: fmtSignalValue(x.value), direction: fmtDirection(x.direction), strength: fmtShare(x.strength), confidence: fmtShare(x.confidence),
      weight: fmtWeight(x.weight), state: x.state ?? '—', active: x.active ? 'active' : 'off', effect: x.effect ?? '—',
    })),
    model: Object.entries(r.model ?? {}).map(([k, val]) => [k, fmtModel(val)]),
  };
}

test('POST /api/test/publish refuses malformed events; GET /api/strategy carries the signals per instance and window', async ({ request }) => {
  const bad = await request.post('/api/test/publish', { data: { type: 'strategy.signal', record: { ...record(0, W1, 'x'), readings: [{ id: 'a', strength: 2, active: true }] } } });
  expect(bad.status()).toBe(422);
  const badType = await request.post('/api/test/publish', { data: { type: 'order.filled', record: record(0, W1, 'x') } });
  expect(badType.status()).toBe(422);

  const before = (await view(request, ID)).strategy!.signals?.count ?? 0;
  const { lastSeq, w1LastSeq, learnSeq } = await seed(request);
  const s = (await view(request, ID)).strategy!;
  expect(s.signals!.count).toBe(before + 13);
  // The bus numbers every event: the running paper runtime may publish between two of these posts.
  expect(w1LastSeq).toBeLessThan(lastSeq);
  expect(s.signals!.latest.slice(0, 2).map((r) => [r.seq, r.record.windowSlug])).toEqual([[lastSeq, W2], [w1LastSeq, W1]]);
  expect(s.signals!.latest[1]!.record.summary).toMatch(/^W1 quote 11/);
  expect(s.signals!.history.length).toBeGreaterThanOrEqual(13);
  expect(s.signals!.history[s.signals!.history.length - 1]).toMatchObject({ seq: lastSeq, windowSlug: W2, values: { bookImbalance: -0.24, 'ext:putCallRatio': 0.41 } });
  expect(s.learning![0]).toMatchObject({ seq: learnSeq, update: { trades: 40, configVersion: 7 } });
  // Another instance sees none of them.
  const other = (await view(request, 'hammer')).strategy!;
  expect(other.signals!.latest.some((r) => r.record.strategyId === ID)).toBe(false);
  expect(other.learning!.some((r) => r.update.strategyId === ID)).toBe(false);
});

test('the Signals and Learning cards show what the API has, follow new records live, and draw the chart', async ({ page, request }) => {
  const errors = watchErrors(page);
  await seed(request);
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoPage(page, `/strategy?id=${ID}`);
  await expect(page.getByTestId('stream-badge')).toHaveText('live stream');
  await expect(page.getByTestId('signals-summary')).toBeVisible();
  const v = await view(request, ID);
  await expect.poll(async () => (await shownSignals(page)).seq, { timeout: 10_000 }).toBeGreaterThanOrEqual(v.strategy!.signals!.latest[0]!.seq);
  expect(await shownSignals(page)).toEqual(expectedSignals(await view(request, ID)));

  // Learning: the newest row is the API's newest update, weights before → after per signal.
  const learn = v.strategy!.learning![0]!;
  const lrow = page.getByTestId('learning-row').first();
  await expect(lrow).toHaveAttribute('data-seq', String(learn.seq));
  await expect(lrow.locator('[data-cell="trades"]')).toHaveText(String(learn.update.trades));
  await expect(lrow.locator('[data-cell="config-version"]')).toHaveText(String(learn.update.configVersion));
  for (const [id, b] of Object.entries(learn.update.before)) {
    const chip = lrow.locator(`[data-testid="weight-change"][data-id="${id}"]`);
    await expect(chip.locator('[data-cell="before"]')).toHaveText(fmtWeight(b));
    await expect(chip.locator('[data-cell="after"]')).toHaveText(fmtWeight(learn.update.after[id]));
    await expect(chip).toContainText(`${fmtPct(learn.update.accuracy[id])} hit`);
  }

  // The chart: units on both axes, a legend entry per signal with a direction, lines drawn.
  const chart = page.getByTestId('signal-chart');
  await expect(chart.locator('.recharts-label').filter({ hasText: 'direction × strength' })).toBeVisible();
  await expect(chart.locator('.recharts-label').filter({ hasText: 'time (UTC)' })).toBeVisible();
  await expect(chart).toHaveAttribute('data-points', String((await view(request, ID)).strategy!.signals!.history.length));
  // (Recharts lists legend items by name; 'regime' has no direction, so no line.)
  await expect(chart.locator('.recharts-legend-item')).toHaveText(['bookImbalance', 'ext:putCallRatio', 'flowImbalance', 'markout']);
  await expectLineDrawn(chart.locator('path.recharts-line-curve').first());

  // A new record arrives live (SSE), without a reload.
  const seq = await publish(request, { type: 'strategy.signal', record: record(13, W2, 'paused quoting: markout toxic above 0.4') });
  await expect(page.getByTestId('signals-summary')).toHaveText('paused quoting: markout toxic above 0.4');
  await expect.poll(async () => (await shownSignals(page)).seq).toBe(seq);
  expect(await shownSignals(page)).toEqual(expectedSignals(await view(request, ID)));

  // The picked window's record: the older window's latest one.
  await page.getByTestId('signal-windows').getByRole('button', { name: windowLabel(W1) }).click();
  await expect(page.getByTestId('signals-summary')).toHaveText(/^W1 quote 11/);

  await screenshotDesktopAndPhone(page, 'strategy-signals', page.getByTestId('signals-card'));
  expect(errors).toEqual([]);
});

test('an instance that published no signal shows the empty state and no Learning card', async ({ page, request }) => {
  const errors = watchErrors(page);
  const v = await view(request, 'hammer');
  expect(v.strategy!.signals!.count).toBe(0);
  expect(v.strategy!.learning).toEqual([]);
  await gotoPage(page, '/strategy?id=hammer');
  await expect(page.getByTestId('signals-empty')).toHaveText('No signals yet — this strategy publishes them on each quote/trade.');
  await expect(page.getByTestId('learning-card')).toHaveCount(0);
  expect(errors).toEqual([]);
});
