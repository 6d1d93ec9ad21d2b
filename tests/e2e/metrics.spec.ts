/**
 * Observability against the demo server (VENUE=sim, paper, real time): /api/ready becomes 200 (running, reconciled,
 * feeds fresh); GET /api/metrics parses with a Prometheus text-format parser and carries every promised series with a
 * live value — fresh feeds with traffic, orders by state and transitions, fills once the paper run has traded, PnL and
 * exposure, the kill state, the three latency histograms with observations, event-loop delay quantiles and the console
 * stream this test holds open; a second scrape shows the bus moving.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';
import { baseURL, status } from './helpers';

test.describe.configure({ mode: 'serial' });

type Families = Map<string, PromFamily>;

async function scrape(request: APIRequestContext): Promise<Families> {
  const res = await request.get('/api/metrics');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map(parsePrometheusTextFormat(await res.text()).map((f) => [f.name, f]));
}

function samples(f: Families, name: string, labels: Record<string, string> = {}): PromSample[] {
  const fam = f.get(name);
  expect(fam, `${name} is exported`).toBeDefined();
  return (fam!.metrics as PromSample[]).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
}
const total = (f: Families, name: string, labels: Record<string, string> = {}) => samples(f, name, labels).reduce((a, s) => a + Number(s.value), 0);
function one(f: Families, name: string, labels: Record<string, string> = {}): number {
  const hit = samples(f, name, labels);
  expect(hit, `${name}${JSON.stringify(labels)}`).toHaveLength(1);
  return Number(hit[0]!.value);
}
function histogramCount(f: Families, name: string): number {
  const fam = f.get(name);
  expect(fam?.type, `${name} is a histogram`).toBe('HISTOGRAM');
  return Number((fam!.metrics[0] as { count: string }).count);
}

test('/api/ready becomes 200 once the runtime is running, reconciled and its feeds are fresh', async ({ request }) => {
  await expect.poll(async () => (await status(request)).state, { timeout: 30_000 }).toBe('running');
  await expect.poll(async () => (await request.get('/api/ready')).status(), { timeout: 45_000, intervals: [500] }).toBe(200);
  const body = (await (await request.get('/api/ready')).json()) as { ready: boolean; reasons: string[]; reconciled: boolean; feeds: { feed: string; required: boolean; stale: boolean }[] };
  expect(body).toMatchObject({ ready: true, reasons: [], reconciled: true });
  expect(body.feeds.filter((f) => f.required).every((f) => !f.stale)).toBe(true);
  // Liveness stays its own answer.
  expect((await request.get('/api/health')).status()).toBe(200);
});

test('GET /api/metrics parses and has every series with a live value', async ({ request }) => {
  test.setTimeout(240_000);
  // The paper run places its first orders and takes its first fill within a minute or two (as on the Orders page).
  await expect.poll(async () => total(await scrape(request), 'updown_fills_total'), { timeout: 200_000, intervals: [2_000] }).toBeGreaterThan(0);

  // One console event stream held open while we scrape.
  const ctrl = new AbortController();
  const stream = await fetch(`${baseURL}/api/events`, { signal: ctrl.signal });
  expect(stream.status).toBe(200);
  try {
    await expect.poll(async () => one(await scrape(request), 'updown_sse_clients'), { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const f = await scrape(request);
    for (const fam of f.values()) {
      expect(fam.name).toMatch(/^updown_/);
      expect(fam.help.length, `${fam.name} HELP`).toBeGreaterThan(5);
    }
    for (const feed of ['clob-market', 'spot', 'polybolt']) {
      const age = one(f, 'updown_feed_last_message_age_seconds', { feed });
      expect(age, `${feed} age`).toBeGreaterThanOrEqual(0);
      expect(age, `${feed} age`).toBeLessThan(5);
      expect(one(f, 'updown_feed_stale', { feed }), `${feed} stale`).toBe(0);
      expect(one(f, 'updown_feed_reconnects_total', { feed })).toBeGreaterThanOrEqual(0);
    }
    expect(one(f, 'updown_feed_messages_per_second', { feed: 'clob-market' })).toBeGreaterThan(0);

    expect(total(f, 'updown_orders')).toBeGreaterThan(0);
    expect(one(f, 'updown_order_transitions_total', { from: 'created', to: 'submitted' })).toBeGreaterThan(0);
    expect(total(f, 'updown_fill_shares_total')).toBeGreaterThan(0);
    expect(total(f, 'updown_fill_notional_usd_total')).toBeGreaterThan(0);

    for (const name of ['updown_pnl_realized_usd', 'updown_pnl_realized_today_usd', 'updown_exposure_usd']) expect(Number.isFinite(one(f, name)), name).toBe(true);
    expect(one(f, 'updown_exposure_usd')).toBeGreaterThanOrEqual(0);
    expect(one(f, 'updown_exposure_limit_usd')).toBeGreaterThan(0);
    expect(samples(f, 'updown_strategy_exposure_usd').length).toBeGreaterThan(0);
    expect(samples(f, 'updown_strategy_pnl_realized_usd').length).toBeGreaterThan(0);

    expect(total(f, 'updown_trading_state')).toBe(1);
    expect(one(f, 'updown_trading_state', { state: 'active' })).toBe(1);
    expect(one(f, 'updown_ready')).toBe(1);

    expect(histogramCount(f, 'updown_decision_to_order_sent_seconds')).toBeGreaterThan(0);
    expect(histogramCount(f, 'updown_order_sent_to_ack_seconds')).toBeGreaterThan(0);
    expect(histogramCount(f, 'updown_frame_to_decision_seconds')).toBeGreaterThan(0);
    for (const q of ['p50', 'p99']) {
      const v = one(f, `updown_nodejs_eventloop_lag_${q}_seconds`);
      expect(Number.isFinite(v) && v >= 0, `event-loop ${q} = ${v}`).toBe(true);
    }

    // Live: the bus moves between two scrapes.
    const before = one(f, 'updown_bus_events_published');
    await expect.poll(async () => one(await scrape(request), 'updown_bus_events_published'), { timeout: 10_000 }).toBeGreaterThan(before);
  } finally {
    ctrl.abort();
  }
});
