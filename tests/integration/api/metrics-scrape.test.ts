/**
 * GET /api/metrics and GET /api/ready over the real route handlers, on a paper runtime trading on the embedded
 * simulator (real loopback sockets, a SimClock stepped through a few simulated minutes until the run has traded),
 * with one console event stream open. The scrape is parsed with a Prometheus text-format parser and every series the
 * console promises is checked for a live, plausible value: feed ages finite and below the stale bound, msgs/s > 0,
 * orders by state and transitions agreeing with the bus, fills / shares / notional counted from the bus's fills, PnL
 * and exposure equal to the dashboard's read model, the kill state, the three latency histograms with observations,
 * event-loop delay quantiles and the SSE client count. Readiness is 503 with reasons before the start and 200 after.
 */
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore } from '../../../bot/store';
import { runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent } from '../../../lib/schemas/events';
import { createEventMetrics, type RuntimeEventMetrics } from '../../../lib/server/metrics-events';
import { SseHub } from '../../../lib/server/sse';
import { GET as metricsGet } from '../../../app/api/metrics/route';
import { GET as readyGet } from '../../../app/api/ready/route';

const KEY = Symbol.for('updown.runtime.v1');
const DAY0_MS = 1791158400_000;
const ORIGIN = 'http://127.0.0.1:3000';

async function flush(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

async function get(route: (req: Request) => Promise<Response>, path: string): Promise<Response> {
  return route(new Request(`${ORIGIN}${path}`, { headers: { host: '127.0.0.1:3000' } }));
}

type Families = Map<string, PromFamily>;
async function scrape(): Promise<{ text: string; families: Families; contentType: string | null }> {
  const res = await get(metricsGet, '/api/metrics');
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, families: new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f])), contentType: res.headers.get('content-type') };
}

function samples(f: Families, name: string): PromSample[] {
  const fam = f.get(name);
  expect(fam, `${name} exported`).toBeDefined();
  expect(['COUNTER', 'GAUGE', 'UNTYPED']).toContain(fam!.type);
  return fam!.metrics as PromSample[];
}
function value(f: Families, name: string, labels: Record<string, string> = {}): number {
  const hit = samples(f, name).filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v));
  expect(hit, `${name}${JSON.stringify(labels)} has exactly one sample`).toHaveLength(1);
  return Number(hit[0]!.value);
}
function sum(f: Families, name: string, labels: Record<string, string> = {}): number {
  return samples(f, name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels?.[k] === v))
    .reduce((a, s) => a + Number(s.value), 0);
}
function histogram(f: Families, name: string): { count: number; sum: number; buckets: Record<string, string> } {
  const fam = f.get(name);
  expect(fam?.type, `${name} is a histogram`).toBe('HISTOGRAM');
  const m = fam!.metrics[0] as { count: string; sum: string; buckets: Record<string, string> };
  return { count: Number(m.count), sum: Number(m.sum), buckets: m.buckets };
}

describe('metrics scrape and readiness on a paper runtime trading on the simulator', () => {
  let rt: Runtime;
  let clock: SimClock;
  let eventMetrics: RuntimeEventMetrics;
  let sse: SseHub;
  const abort = new AbortController();
  const events: BotEvent[] = [];
  let readyBefore: { status: number; body: { ready: boolean; reasons: string[] } };
  let prevHolder: unknown;
  const g = globalThis as Record<symbol, unknown>;

  beforeAll(async () => {
    clock = new SimClock(DAY0_MS + 200_000);
    const config = runtimeConfigSchema.parse({ mode: 'paper', venue: 'sim', sim: { seed: 7 } });
    rt = createRuntime({ instanceId: 'metrics-it', version: 't', config, clock, store: openStore(':memory:') });
    eventMetrics = createEventMetrics(rt); // before the start, as runtime-registry does
    sse = new SseHub({ maxClientBytes: 64 * 1024 * 1024, heartbeatMs: 60_000 });
    prevHolder = g[KEY];
    g[KEY] = { runtime: rt, env: {}, shuttingDown: false, sse, eventMetrics, config: { hash: 'cfg-hash-1' } };
    rt.bus.onAny((e) => {
      if (e.type === 'order.state' || e.type === 'order.sent' || e.type === 'order.filled' || e.type === 'strategy.decision') events.push(e);
    });
    const r = await get(readyGet, '/api/ready');
    readyBefore = { status: r.status, body: (await r.json()) as typeof readyBefore.body };

    const starting = rt.start('test');
    for (let i = 0; i < 200 && rt.status().state === 'starting'; i++) await flush();
    expect(await starting).toBe('running');
    const source = { instanceId: rt.instanceId, lastSeq: () => rt.bus.stats.lastSeq, since: (s: number) => rt.bus.history.since(s), subscribe: (fn: (e: BotEvent) => void) => rt.bus.onAny(fn) };
    const stream = sse.open(source, undefined, abort.signal);
    void stream.getReader().read().catch(() => undefined);
    // A few simulated minutes, until the run has traded (fills) and a venue answer came back; at most 10 minutes.
    const endMs = clock.nowMs() + 600_000;
    while (clock.nowMs() < endMs) {
      clock.advanceBy(1_000);
      await flush();
      if (clock.nowMs() - DAY0_MS > 330_000 && events.some((e) => e.type === 'order.filled')) break;
    }
    for (let i = 0; i < 3; i++) {
      clock.advanceBy(1_000); // fresh feed messages right before the scrape
      await flush();
    }
  }, 120_000);

  afterAll(async () => {
    abort.abort();
    sse?.closeAll();
    eventMetrics?.dispose();
    await rt?.dispose('test done');
    g[KEY] = prevHolder;
  });

  it('is not ready before the start (503 with the reasons)', () => {
    expect(readyBefore.status).toBe(503);
    expect(readyBefore.body.ready).toBe(false);
    expect(readyBefore.body.reasons).toEqual(expect.arrayContaining(['runtime stopped', 'no venue session']));
  });

  it('is ready once running, reconciled and the feeds are fresh', async () => {
    const r = await get(readyGet, '/api/ready');
    const body = (await r.json()) as { ready: boolean; reasons: string[]; reconciled: boolean; feeds: { feed: string; required: boolean; stale: boolean }[] };
    expect(body.reasons).toEqual([]);
    expect(r.status).toBe(200);
    expect(body.reconciled).toBe(true);
    expect(body.feeds.filter((f) => f.required).map((f) => f.feed).sort()).toEqual(['clob-market', 'polybolt']);
    expect(body.feeds.every((f) => !f.stale)).toBe(true);
  });

  it('the run traded (the precondition of the value checks below)', () => {
    expect(events.filter((e) => e.type === 'order.filled').length).toBeGreaterThan(0);
  });

  it('parses as Prometheus text and has every series with a live value', async () => {
    const { families: f, contentType } = await scrape();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const fam of f.values()) {
      expect(fam.name, 'every name is updown_*').toMatch(/^updown_/);
      expect(fam.help.length, `${fam.name} has HELP text`).toBeGreaterThan(5);
    }
    const staleBoundS = 5;

    // Feeds: the market, reference and spot sockets are open, fresh and carrying messages.
    for (const feed of ['clob-market', 'polybolt', 'spot']) {
      const age = value(f, 'updown_feed_last_message_age_seconds', { feed });
      expect(age, `${feed} age`).toBeGreaterThanOrEqual(0);
      expect(age, `${feed} age`).toBeLessThan(staleBoundS);
      expect(value(f, 'updown_feed_messages_per_second', { feed }), `${feed} msgs/s`).toBeGreaterThan(0);
      expect(value(f, 'updown_feed_stale', { feed })).toBe(0);
      expect(value(f, 'updown_feed_connected', { feed })).toBe(1);
      expect(value(f, 'updown_feed_reconnects_total', { feed })).toBeGreaterThanOrEqual(0);
    }
    expect(samples(f, 'updown_feed_last_message_age_seconds').map((s) => s.labels?.feed)).not.toContain('clob-user'); // paper: no user socket

    // Orders: the tracker's states and the bus's transitions.
    const stack = rt.session!.stack!;
    const all = stack.tracker.all();
    for (const state of ['submitted', 'live', 'filled', 'canceled']) {
      expect(value(f, 'updown_orders', { state }), state).toBe(all.filter((o) => o.state === state).length);
    }
    expect(sum(f, 'updown_orders')).toBe(all.length);
    const transitions = events.filter((e) => e.type === 'order.state');
    expect(sum(f, 'updown_order_transitions_total')).toBe(transitions.length);
    expect(value(f, 'updown_order_transitions_total', { from: 'created', to: 'submitted' })).toBe(transitions.filter((e) => e.type === 'order.state' && e.state === 'submitted').length);

    // Fills: counted once per order.filled, with shares and notional.
    const fills = events.filter((e): e is Extract<BotEvent, { type: 'order.filled' }> => e.type === 'order.filled');
    expect(sum(f, 'updown_fills_total')).toBe(fills.length);
    expect(sum(f, 'updown_fill_shares_total')).toBeCloseTo(fills.reduce((a, e) => a + e.size, 0), 6);
    expect(sum(f, 'updown_fill_notional_usd_total')).toBeCloseTo(fills.reduce((a, e) => a + e.size * e.price, 0), 6);
    expect(sum(f, 'updown_fill_fees_usd_total')).toBeCloseTo(fills.reduce((a, e) => a + e.feeUsd, 0), 6);
    const byStrategy = new Set(fills.map((e) => e.clientTag.split('|')[0]));
    expect(new Set(samples(f, 'updown_fills_total').map((s) => s.labels?.strategy))).toEqual(byStrategy);

    // PnL and exposure: the dashboard's figures.
    const pnl = rt.views.trading.snapshot().pnl;
    expect(value(f, 'updown_pnl_realized_usd')).toBeCloseTo(pnl.realizedTotalUsd, 6);
    expect(value(f, 'updown_pnl_realized_today_usd')).toBeCloseTo(pnl.realizedTodayUsd, 6);
    if (pnl.unrealizedUsd !== null) expect(value(f, 'updown_pnl_unrealized_usd')).toBeCloseTo(pnl.unrealizedUsd, 6);
    else expect(samples(f, 'updown_pnl_unrealized_usd')).toEqual([]);
    expect(value(f, 'updown_exposure_usd')).toBeCloseTo(pnl.exposureUsd, 6);
    expect(value(f, 'updown_exposure_limit_usd')).toBe(rt.config.risk.maxTotalExposureUsd);
    expect(value(f, 'updown_daily_loss_limit_usd')).toBe(rt.config.risk.maxDailyLossUsd);
    const strategyIds = rt.config.strategies.map((s) => s.id).sort();
    expect(samples(f, 'updown_strategy_exposure_usd').map((s) => s.labels?.strategy).sort()).toEqual(strategyIds);
    for (const s of samples(f, 'updown_strategy_exposure_usd')) expect(Number(s.value)).toBeGreaterThanOrEqual(0);
    const pnlStrategies = samples(f, 'updown_strategy_pnl_realized_usd').map((s) => s.labels?.strategy);
    for (const id of byStrategy) expect(pnlStrategies).toContain(id);

    // Kill state, runtime, readiness.
    expect(value(f, 'updown_trading_state', { state: 'active' })).toBe(1);
    expect(sum(f, 'updown_trading_state')).toBe(1);
    expect(value(f, 'updown_runtime_state', { state: 'running' })).toBe(1);
    expect(value(f, 'updown_ready')).toBe(1);
    expect(samples(f, 'updown_runtime_info')[0]!.labels).toMatchObject({ run_id: 'metrics-it', config_hash: 'cfg-hash-1', mode: 'paper', venue: 'sim' });

    // Latency histograms: observations on every stage (the sim clock stands still in the synchronous parts).
    const decisions = histogram(f, 'updown_frame_to_decision_seconds');
    expect(decisions.count).toBeGreaterThan(0);
    expect(decisions.count).toBeLessThanOrEqual(events.filter((e) => e.type === 'strategy.decision').length);
    expect(decisions.sum).toBeGreaterThan(0); // real (monotonic) time: the strategies take some
    expect(decisions.sum / decisions.count).toBeLessThan(0.5);
    const submitted = transitions.filter((e) => e.type === 'order.state' && e.state === 'submitted').length;
    const sentEvents = events.filter((e) => e.type === 'order.sent').length;
    expect(sentEvents).toBe(submitted); // paper: every journaled order is sent, once
    expect(histogram(f, 'updown_decision_to_order_sent_seconds').count).toBe(sentEvents);
    const acks = histogram(f, 'updown_order_sent_to_ack_seconds');
    expect(acks.count).toBeGreaterThan(0);
    expect(acks.count).toBeLessThanOrEqual(submitted);
    expect(Number(acks.buckets['+Inf'])).toBe(acks.count);

    // Event-loop delay and the console's event streams.
    for (const q of ['p50', 'p99']) {
      const v = value(f, `updown_nodejs_eventloop_lag_${q}_seconds`);
      expect(Number.isFinite(v) && v >= 0, `event-loop ${q} = ${v}`).toBe(true);
    }
    expect(value(f, 'updown_sse_clients')).toBe(1);
  });

  it('counters never go down between scrapes while the run goes on', async () => {
    const a = await scrape();
    for (let i = 0; i < 5; i++) {
      clock.advanceBy(1_000);
      await flush();
    }
    const b = await scrape();
    for (const name of ['updown_bus_events_published', 'updown_order_transitions_total', 'updown_fills_total']) {
      expect(sum(b.families, name), name).toBeGreaterThanOrEqual(sum(a.families, name));
    }
    expect(value(b.families, 'updown_bus_events_published')).toBeGreaterThan(value(a.families, 'updown_bus_events_published'));
  });
});
