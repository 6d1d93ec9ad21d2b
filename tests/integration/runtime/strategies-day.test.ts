/**
 * Every strategy for a simulated day on the simulator, paper mode, through the whole runtime (feeds, catalog,
 * strategy host, risk engine, execution engine, paper venue, SQLite journal), checking the invariants each
 * strategy promises. The hammer runs twice: `hammer-default` with its default config, and `hammer` with the watch
 * trigger lowered ten times (0.0005, D_MIN 1), because at the default 0.005 the simulator's volatility (50 %
 * a year, about 0.07 % per minute) puts a window on watch only after a rare jump, and the trading path would go
 * untested.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import { parseClientTag } from '../../../bot/strategies/intents';
import { createStrategy } from '../../../bot/strategies/registry';
import { defaultStrategies, runtimeConfigSchema, type RuntimeConfig } from '../../../lib/schemas/config';
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

function windowSecOf(slug: string): number {
  return slug.includes('-15m-') ? 900 : 300;
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
  const evaluated = new Map<string, EventOf<'strategy.decision'>['record'][]>();
  /** Slugs of the windows that closed while the bot ran (the catalog's market.state → closed). */
  const closed = new Set<string>();
  let config: RuntimeConfig;

  beforeAll(async () => {
    const clock = new SimClock(DAY0_MS + 10_000);
    const strategies = defaultStrategies.map((s) => ({
      ...s,
      budgetUsd: 200,
      params: { ...s.params, enabled: true, ...(s.type === 'hammer' ? { watchReturnThreshold: 0.0005, dMin: 1 } : {}) },
    }));
    strategies.push({ id: 'hammer-default', type: 'hammer', budgetUsd: 200, params: { enabled: true } }); // enabled: the default
    config = runtimeConfigSchema.parse({
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
      else if (e.type === 'strategy.decision') evaluated.set(e.record.strategyId, [...(evaluated.get(e.record.strategyId) ?? []), e.record]);
      else if (e.type === 'market.state' && e.state === 'closed') closed.add(e.slug);
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

  it('every strategy instance emits exactly one final decision (traded or skipped) per window of its series that closed, and none for others', () => {
    expect(closed.size).toBeGreaterThanOrEqual(HOURS * 16 - 2); // 12 5m + 4 15m windows an hour
    expect(config.strategies.map((s) => s.id)).toEqual(['time-bucket', 'hammer', 'trend-window', 'late-sweep', 'maker', 'hammer-default']);
    for (const inst of config.strategies) {
      const series = createStrategy(inst.type, inst.params).config as { asset: string; windowSecs: number[] };
      const expected = [...closed].filter((slug) => slug.startsWith(`${series.asset}-`) && series.windowSecs.includes(windowSecOf(slug)));
      const finals = decisions.filter((d) => d.strategyId === inst.id);
      expect(finals.every((d) => d.action === 'traded' || d.action === 'skipped')).toBe(true);
      expect(finals.map((d) => d.windowSlug).sort(), inst.id).toEqual(expected.sort());
    }
  });

  it('every strategy fills orders (the hammer with its watch threshold lowered 10x, see the header)', () => {
    for (const id of ['time-bucket', 'hammer', 'trend-window', 'late-sweep', 'maker']) expect(fills.get(id) ?? 0, `${id} fills`).toBeGreaterThan(0);
  });

  it("the hammer with its default config evaluates every window in its last 15 s (p_hat on each), skips unwatched ones as 'not-watched', and sends no order but FOK buys in the last 15 s of a watched window (|60 s return| >= 0.005)", () => {
    const evals = evaluated.get('hammer-default') ?? [];
    const finals = new Map(decisions.filter((d) => d.strategyId === 'hammer-default').map((d) => [d.windowSlug, d]));
    expect(new Set(evals.map((d) => d.windowSlug))).toEqual(new Set(finals.keys()));
    for (const d of evals) {
      expect(d.secondsLeft!, d.windowSlug).toBeLessThanOrEqual(15);
      if (d.reason !== 'stale-reference' && d.reason !== 'no-sigma') expect(d.pHat, `${d.windowSlug} ${d.reason}`).toBeDefined();
    }
    const mine = orders.filter((o) => o.strategy_id === 'hammer-default');
    for (const o of mine) {
      expect([o.side, o.order_type], o.client_tag).toEqual(['BUY', 'FOK']);
      expect(windowEndMs(o.window_slug) - o.created_ms, o.client_tag).toBeLessThanOrEqual(15_000);
      expect(Math.abs(Number(finals.get(o.window_slug)?.details?.watchReturn)), o.client_tag).toBeGreaterThanOrEqual(0.005);
    }
    for (const d of finals.values()) if (d.details?.watchReturn === undefined) expect(d, d.windowSlug).toMatchObject({ action: 'skipped', reason: 'not-watched' });
    console.log(`hammer-default: ${finals.size} windows, ${[...finals.values()].filter((d) => d.details?.watchReturn !== undefined).length} watched, ${mine.length} orders`);
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
