/**
 * Every strategy for a simulated day on the simulator, paper mode, through the whole runtime (feeds, catalog,
 * strategy host, risk engine, execution engine, paper venue, SQLite journal), checking the invariants each
 * strategy promises. The hammer's watch trigger is lowered so that it trades on the simulator's volatility.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import { parseClientTag } from '../../../bot/strategies/intents';
import { defaultStrategies, runtimeConfigSchema } from '../../../lib/schemas/config';
import type { BotEvent, EventOf } from '../../../lib/schemas/events';

const DAY0_MS = 1791158400_000;
const HOURS = 24;

interface OrderRow {
  client_tag: string;
  strategy_id: string;
  window_slug: string;
  side: string;
  price: number;
  order_type: string;
  post_only: number;
  state: string;
  created_ms: number;
  updated_ms: number;
}

function windowEndMs(slug: string): number {
  const start = Number(slug.split('-').at(-1)) * 1000;
  return start + (slug.includes('-15m-') ? 900_000 : 300_000);
}

async function settle(): Promise<void> {
  for (let i = 0; i < 12; i++) await new Promise((r) => setImmediate(r));
}

describe(`all strategies for a simulated day (${HOURS} h) on the simulator, paper`, () => {
  let rt: Runtime;
  let store: Store;
  let orders: OrderRow[] = [];
  const decisions: EventOf<'strategy.decision'>['record'][] = [];
  const denied: EventOf<'risk.denied'>[] = [];
  const errors: string[] = [];
  const triggered: EventOf<'risk.triggered'>[] = [];
  const fills = new Map<string, number>();

  beforeAll(async () => {
    const clock = new SimClock(DAY0_MS + 10_000);
    const strategies = defaultStrategies.map((s) => ({
      ...s,
      budgetUsd: 200,
      params: { ...s.params, enabled: true, ...(s.type === 'hammer' ? { watchReturnThreshold: 0.0005, dMin: 1 } : {}) },
    }));
    const config = runtimeConfigSchema.parse({
      mode: 'paper',
      venue: 'sim',
      sim: { seed: 11 },
      strategies,
      risk: { maxTradesPerHour: 100_000, maxDailyLossUsd: 1_000_000, maxExposurePerWindowUsd: 2_000, maxTotalExposureUsd: 10_000, maxConsecutiveLosses: 1_000 },
    });
    store = openStore(':memory:');
    rt = createRuntime({ instanceId: 'day', version: 't', config, clock, store, sim: { crowd: { makerRequoteMs: 4_000, takerMeanIntervalMs: 12_000 } } });
    rt.bus.onAny((e: BotEvent) => {
      if (e.type === 'strategy.decision' && e.record.action !== 'evaluated') decisions.push(e.record);
      else if (e.type === 'risk.denied') denied.push(e);
      else if (e.type === 'runtime.error') errors.push(`${e.source}: ${e.message}`);
      else if (e.type === 'risk.triggered') triggered.push(e);
      else if (e.type === 'order.filled') {
        const id = parseClientTag(e.clientTag)?.strategyId ?? '?';
        fills.set(id, (fills.get(id) ?? 0) + 1);
      }
    });
    const starting = rt.start('test');
    while (rt.status().state === 'starting') await settle();
    expect(await starting).toBe('running');
    while (clock.nowMs() < DAY0_MS + HOURS * 3_600_000) {
      clock.advanceBy(3_000);
      await settle();
    }
    orders = store.db.prepare('SELECT * FROM orders ORDER BY created_ms').all() as OrderRow[];
  }, 600_000);

  afterAll(async () => {
    await rt?.dispose('test done');
  });

  it('every strategy trades and explains every window of its series exactly once', () => {
    for (const id of ['time-bucket', 'hammer', 'trend-window', 'late-sweep', 'maker']) {
      expect(fills.get(id) ?? 0, `${id} fills`).toBeGreaterThan(0);
      const slugs = decisions.filter((d) => d.strategyId === id).map((d) => d.windowSlug);
      expect(new Set(slugs).size, `${id}: one final decision per window`).toBe(slugs.length);
      expect(slugs.length, `${id} decisions`).toBeGreaterThan(HOURS * 2);
    }
  });

  it('no order is ever created after its window closed', () => {
    expect(orders.length).toBeGreaterThan(500);
    const late = orders.filter((o) => o.created_ms >= windowEndMs(o.window_slug));
    expect(late.map((o) => o.client_tag)).toEqual([]);
  });

  it('time-bucket: one round per window, never two entry orders working at once', () => {
    const byWindow = new Map<string, OrderRow[]>();
    for (const o of orders.filter((x) => x.strategy_id === 'time-bucket' && x.side === 'BUY')) byWindow.set(o.window_slug, [...(byWindow.get(o.window_slug) ?? []), o]);
    expect(byWindow.size).toBeGreaterThan(50);
    for (const [slug, list] of byWindow) {
      for (let i = 1; i < list.length; i++) expect(list[i]!.created_ms, `${slug}: entry ${i} overlaps the previous one`).toBeGreaterThanOrEqual(list[i - 1]!.updated_ms);
    }
    const traded = decisions.filter((d) => d.strategyId === 'time-bucket' && d.action === 'traded').map((d) => d.windowSlug);
    expect(new Set(traded).size).toBe(traded.length);
  });

  it('the maker only rests post-only quotes; its only taker orders are complete-set arbitrage', () => {
    const maker = orders.filter((o) => o.strategy_id === 'maker');
    expect(maker.length).toBeGreaterThan(100);
    for (const o of maker) {
      const purpose = parseClientTag(o.client_tag)!.purpose;
      if (purpose === 'arb') expect(o.order_type, o.client_tag).toBe('FOK');
      else expect([o.order_type, o.post_only], o.client_tag).toEqual(['GTC', 1]);
    }
  });

  it('no strategy produced an invalid order and the runtime raised no error', () => {
    expect(denied.filter((d) => d.rule === 'invalid').map((d) => `${d.clientTag}: ${d.reason}`)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('every position of a closed window is settled at resolution', () => {
    const open = rt.session!.stack!.tracker.positions.all().filter((p) => !p.settled && Math.abs(p.shares) > 1e-9 && windowEndMs(p.windowSlug) < DAY0_MS + (HOURS - 0.5) * 3_600_000);
    expect(open.map((p) => `${p.windowSlug} ${p.shares}`)).toEqual([]);
  });

  it('no automatic trigger fires on an ordinary day (the kill switch stays active)', () => {
    expect(triggered).toEqual([]);
    expect(rt.killSwitch.snapshot()).toMatchObject({ state: 'active', actor: 'system' });
  });

  it("the day's realised PnL is one figure: the persisted UTC risk days add up to the ledger, the dashboard shows today's", () => {
    const ledger = rt.session!.stack!.tracker.positions.totalRealizedUsd(); // the run began with an empty ledger
    const today = rt.session!.riskDay.snapshot();
    const day0 = new Date(DAY0_MS).toISOString().slice(0, 10);
    expect(today.day).toBe(new Date(DAY0_MS + HOURS * 3_600_000).toISOString().slice(0, 10)); // the run ends just past midnight
    const first = store.riskDays.get(day0)!;
    expect(Math.abs(first.realizedUsd)).toBeGreaterThan(0.01); // windows were settled with a result
    expect(first.realizedUsd + today.realizedUsd).toBeCloseTo(ledger, 5); // persisted, each change booked to its day
    expect(store.riskDays.get(today.day)!.realizedUsd).toBe(today.realizedUsd);
    expect(rt.views.trading.snapshot().pnl.realizedTodayUsd).toBeCloseTo(today.realizedUsd, 6);
  });
});
