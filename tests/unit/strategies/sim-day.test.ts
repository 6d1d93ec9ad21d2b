/**
 * A simulated day (5m and 15m BTC windows) on the deterministic harness: every strategy runs in paper
 * against synthetic books and must keep its invariants. Every strategy runs with its default config (the
 * optional ones switched on); the hammer's default watch threshold (0.005) trips on the harness's jumps, so it
 * trades with its defaults. Speed is measured in `npm run bench` (strategies-day row), not here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseClientTag } from '../../../bot/strategies/intents';
import { runDay, type RunResult } from './harness/runner';
import { calibration } from './harness/metrics';
import { takerFeePerShare } from '../../../bot/core/fees';
import { FEE } from './world';
import { decisionRecordSchema } from '../../../lib/schemas/events/strategy';
import { hammerConfigSchema } from '../../../bot/strategies/hammer/config';
import { dayStrategies } from './harness/day-strategies';

const DAY = 86_400;
let run: RunResult;

const byStrategy = (id: string) => run.placed.filter((p) => p.strategyId === id);
const HAMMER_DEFAULTS = hammerConfigSchema.parse({});

/** The instances of the day: every strategy type with its defaults (late-sweep switched on), plus two variants. */
const DAY_STRATEGIES = dayStrategies();

beforeAll(() => {
  run = runDay({ seed: 'sim-day-1', seconds: DAY, strategies: DAY_STRATEGIES });
});

describe('simulated day (paper, harness)', () => {
  it('covers a full day of 5m and 15m windows and every strategy places orders', () => {
    expect(run.windows.filter((w) => w.windowSec === 300).length).toBeGreaterThanOrEqual(286);
    expect(run.windows.filter((w) => w.windowSec === 900).length).toBeGreaterThanOrEqual(95);
    for (const { id } of DAY_STRATEGIES) expect(byStrategy(id).length, id).toBeGreaterThan(0);
    const report = ['tb', 'sweep', 'hammer', 'hammer-spot', 'trend', 'maker', 'maker-noarb'].map((id) => {
      const v = run.venues.get(id)!;
      return `${id}: orders=${byStrategy(id).length} rejected=${v.rejections.length} pnl=${v.cash.toFixed(2)} fees=${v.fees.toFixed(2)}`;
    });
    console.log(`sim day: ${run.events} strategy events\n  ${report.join('\n  ')}`);
  });

  it('no order is ever placed outside [start, end) of an open window', () => {
    const bad = run.placed.filter((p) => !p.market || p.market.state !== 'open' || p.nowMs < p.market.startMs || p.nowMs >= p.market.endMs);
    expect(bad).toEqual([]);
    for (const v of run.venues.values()) expect(v.rejections.filter((r) => r.reason === 'market not open')).toEqual([]);
  });

  it('no order below the minimum size (dust never produces an order)', () => {
    const small = run.placed.filter((p) => {
      const shares = p.intent.size ?? (p.intent.usd ?? 0) / p.intent.price;
      return shares < p.market!.minOrderSize - 1e-9;
    });
    expect(small).toEqual([]);
  });

  it('time-bucket: one round per window (no first-round entry after an exit fill; late re-entries bounded)', () => {
    const firstExitFill = new Map<string, number>();
    const stopFill = new Map<string, number>();
    for (const f of run.fills.filter((x) => x.strategyId === 'tb')) {
      const t = parseClientTag(f.clientTag)!;
      if ((t.purpose === 'tp' || t.purpose === 'sl') && !firstExitFill.has(t.windowSlug)) firstExitFill.set(t.windowSlug, f.nowMs);
      if (t.purpose === 'sl' && !stopFill.has(t.windowSlug)) stopFill.set(t.windowSlug, f.nowMs);
    }
    const reentries = new Map<string, number>();
    let rounds = 0;
    const seen = new Set<string>();
    for (const p of byStrategy('tb')) {
      const t = parseClientTag(p.intent.clientTag)!;
      if (t.purpose === 'entry') {
        if (!seen.has(t.windowSlug)) rounds++;
        seen.add(t.windowSlug);
        const exit = firstExitFill.get(t.windowSlug);
        if (exit !== undefined) expect(p.nowMs, t.windowSlug).toBeLessThan(exit);
      }
      if (t.purpose === 'reentry') {
        reentries.set(t.windowSlug, (reentries.get(t.windowSlug) ?? 0) + 1);
        expect((p.market!.endMs - p.nowMs) / 1000).toBeLessThanOrEqual(120);
        expect(stopFill.get(t.windowSlug)).toBeLessThanOrEqual(p.nowMs);
      }
    }
    for (const n of reentries.values()) expect(n).toBeLessThanOrEqual(1); // MAX_LATE_REENTRIES
    expect(rounds).toBeGreaterThan(50);
    expect(run.venues.get('tb')!.rejections).toEqual([]);
    const finals = run.decisions.filter((d) => d.strategyId === 'tb' && d.action !== 'evaluated');
    expect(finals.filter((d) => d.action === 'traded').length).toBeGreaterThan(50);
  });

  it('two-sided maker: quotes are post-only bids below the ask; the only taker orders are net-of-fee arbitrages', () => {
    for (const id of ['maker', 'maker-noarb']) {
      for (const p of byStrategy(id)) {
        const purpose = parseClientTag(p.intent.clientTag)!.purpose;
        if (purpose === 'arb') continue;
        expect(p.intent).toMatchObject({ side: 'BUY', postOnly: true, orderType: 'GTC' });
        if (p.market!.bestAsk !== undefined) expect(p.intent.price).toBeLessThan(p.market!.bestAsk);
        expect((p.market!.endMs - p.nowMs) / 1000).toBeGreaterThan(30);
      }
    }
    expect(byStrategy('maker-noarb').filter((p) => !p.intent.postOnly)).toEqual([]);
    const arbs = byStrategy('maker').filter((p) => parseClientTag(p.intent.clientTag)!.purpose === 'arb');
    expect(arbs.length).toBeGreaterThan(0);
    expect(arbs.length % 2).toBe(0);
    for (let k = 0; k < arbs.length; k += 2) {
      const [a, b] = [arbs[k]!, arbs[k + 1]!];
      expect(a.nowMs).toBe(b.nowMs);
      expect(a.intent.tokenId).not.toBe(b.intent.tokenId);
      expect(a.intent.orderType).toBe('FOK');
      const cost = a.intent.price + b.intent.price + takerFeePerShare(a.intent.price, FEE) + takerFeePerShare(b.intent.price, FEE);
      expect(cost).toBeLessThan(1);
    }
    expect(run.venues.get('maker')!.rejections.filter((r) => r.reason === 'post-only would cross')).toEqual([]);
  });

  it('hammer (default config): FOK buys only, only in windows put on watch (|60 s return| >= 0.005), only in the last HAMMER_SECS', () => {
    const finals = new Map(run.decisions.filter((d) => d.strategyId === 'hammer' && d.action !== 'evaluated').map((d) => [d.windowSlug, d]));
    const placed = byStrategy('hammer');
    expect(placed.length).toBeGreaterThan(0);
    for (const p of placed) {
      expect(p.intent).toMatchObject({ side: 'BUY', orderType: 'FOK' });
      expect((p.market!.endMs - p.nowMs) / 1000).toBeLessThanOrEqual(HAMMER_DEFAULTS.hammerSecs);
      const watch = finals.get(p.intent.windowSlug)?.details?.watchReturn;
      expect(Math.abs(Number(watch)), p.intent.windowSlug).toBeGreaterThanOrEqual(HAMMER_DEFAULTS.watchReturnThreshold);
    }
    // Windows that were never put on watch are skipped as such.
    const unwatched = [...finals.values()].filter((d) => d.details?.watchReturn === undefined);
    expect(unwatched.length).toBeGreaterThan(0);
    for (const d of unwatched) expect(d).toMatchObject({ action: 'skipped', reason: 'not-watched' });
  });

  it('hammer: exactly one evaluated decision per second of the last HAMMER_SECS of every window, each with p_hat', () => {
    const lastSeconds = Array.from({ length: HAMMER_DEFAULTS.hammerSecs }, (_, i) => HAMMER_DEFAULTS.hammerSecs - i); // 15 .. 1
    for (const id of ['hammer', 'hammer-spot']) {
      const bySlug = new Map<string, number[]>();
      for (const d of run.decisions) {
        if (d.strategyId !== id || d.action !== 'evaluated') continue;
        bySlug.set(d.windowSlug, [...(bySlug.get(d.windowSlug) ?? []), d.secondsLeft!]);
        expect(d.pHat, `${id} ${d.windowSlug} ${d.reason}`).toBeDefined();
      }
      expect([...bySlug.keys()].sort(), id).toEqual(run.windows.map((w) => w.slug).sort());
      for (const [slug, left] of bySlug) expect(left, `${id} ${slug}`).toEqual(lastSeconds);
    }
  });

  it('every decision record is a valid strategy.decision payload', () => {
    expect(run.decisions.length).toBeGreaterThan(1000);
    const bad = run.decisions.filter((d) => !decisionRecordSchema.safeParse(d).success);
    expect(bad.slice(0, 3)).toEqual([]);
  });

  it('every strategy instance emits exactly one final decision (traded or skipped) for every window of its series, and none for others', () => {
    const dayEndMs = run.path.startMs + DAY * 1000;
    for (const { id, strategy } of DAY_STRATEGIES) {
      const series = strategy.config as { asset: string; windowSecs: number[] };
      const expected = run.windows.filter((w) => w.endMs <= dayEndMs && series.windowSecs.includes(w.windowSec)).map((w) => w.slug);
      const finals = run.decisions.filter((d) => d.strategyId === id && d.action !== 'evaluated');
      expect(finals.every((d) => d.action === 'traded' || d.action === 'skipped')).toBe(true);
      expect(finals.map((d) => d.windowSlug).sort(), id).toEqual(expected.sort());
    }
  });

  it('trend-window trades only inside its band; late-sweep only in the last 420 s', () => {
    for (const p of byStrategy('trend')) {
      const into = (p.nowMs - p.market!.startMs) / 1000;
      const len = (p.market!.endMs - p.market!.startMs) / 1000;
      expect(into).toBeGreaterThanOrEqual((780 * len) / 900 - 1e-9);
      expect(into).toBeLessThan((840 * len) / 900);
    }
    for (const p of byStrategy('sweep')) expect((p.market!.endMs - p.nowMs) / 1000).toBeLessThanOrEqual(420);
  });

  it('hammer decision records: the twap model scores better than spot (Brier, ECE) on the harness TWAP settlement', () => {
    const win = new Map(run.windows.map((w) => [w.slug, w.upWins]));
    const cal = ['hammer', 'hammer-spot'].map((id) => {
      const pts = run.decisions
        .filter((d) => d.strategyId === id && d.action === 'evaluated' && d.pHat !== undefined)
        .map((d) => ({ p: d.pHat!, up: win.get(d.windowSlug)! }));
      const c = calibration(pts);
      console.log(`${id} decisions: n=${c.n} brier=${c.brier.toFixed(4)} ece=${c.ece.toFixed(4)}`);
      return c;
    });
    expect(cal[0]!.n).toBeGreaterThan(3000);
    expect(cal[0]!.brier).toBeLessThan(cal[1]!.brier);
    expect(cal[0]!.ece).toBeLessThan(cal[1]!.ece);
  });
});
