/** Contract-level behaviour shared by every strategy: determinism, hot config, voided fills, silence. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createStrategy, parseStrategyConfig, strategyIds } from '../../../bot/strategies/registry';
import { TimeBucketStrategy } from '../../../bot/strategies/time-bucket/strategy';
import { timeBucketConfigSchema } from '../../../bot/strategies/time-bucket/config';
import { runDay } from './harness/runner';
import { World, makeMarket, places } from './world';

describe('strategy contract', () => {
  it('same seed, same intents (deterministic replay)', () => {
    const hash = () => {
      const r = runDay({
        seed: 'determinism', seconds: 2 * 3600,
        strategies: strategyIds.map((id) => ({ id, strategy: createStrategy(id, id === 'late-sweep' ? { enabled: true } : {}) })),
      });
      const h = createHash('sha256');
      for (const p of r.placed) h.update(JSON.stringify([p.strategyId, p.nowMs, p.intent]));
      for (const d of r.decisions) h.update(JSON.stringify(d));
      return { digest: h.digest('hex'), n: r.placed.length };
    };
    const a = hash();
    const b = hash();
    expect(a.n).toBeGreaterThan(100);
    expect(a.digest).toBe(b.digest);
  });

  it('hot-applied config changes take effect on the next event', () => {
    const w = new World();
    const m = w.add(makeMarket());
    const s = new TimeBucketStrategy(timeBucketConfigSchema.parse({}));
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    s.updateConfig(timeBucketConfigSchema.parse({ entryBidThreshold: 0.7 }));
    expect(places(w.book(s, m))).toHaveLength(0);
    s.updateConfig(timeBucketConfigSchema.parse({ entryBidThreshold: 0.62 }));
    expect(places(w.book(s, m))).toHaveLength(1);
  });

  it('a voided fill (MATCHED then FAILED) is undone: no TP for shares that never settled', () => {
    const w = new World();
    const m = w.add(makeMarket());
    const s = new TimeBucketStrategy(timeBucketConfigSchema.parse({}));
    w.atSec(10);
    w.setUp(m, 0.62, 0.64);
    const entry = places(w.book(s, m))[0]!;
    const tp = places(w.fill(s, entry, 6, 0.62, 5))[0]!; // partial fill → TP for 6
    expect(tp).toMatchObject({ side: 'SELL', size: 6 });
    const tradeId = `${entry.clientTag}#6@${w.nowMs}`;
    const out = w.send(s, { kind: 'fill.voided', clientTag: entry.clientTag, tradeId });
    expect(out.filter((i) => i.kind === 'cancel')).toEqual([{ kind: 'cancel', clientTag: tp.clientTag, reason: 'tp exceeds position' }]);
    w.atSec(11);
    w.setUp(m, 0.3, 0.32); // would trigger a stop if the 6 shares were real
    expect(places(w.book(s, m))).toHaveLength(0);
  });

  it('disabled strategies and windows outside the series emit nothing', () => {
    for (const id of strategyIds) {
      const w = new World();
      const m = w.add(makeMarket());
      const other = w.add(makeMarket({ asset: 'eth' }));
      const s = createStrategy(id, { ...(parseStrategyConfig(id, {}) as object), enabled: false });
      w.atSec(880);
      w.setUp(m, 0.93, 0.95);
      expect(w.book(s, m).filter((i) => i.kind !== 'cancel'), id).toEqual([]);
      expect(w.send(s, { kind: 'window.closed', slug: m.slug }).filter((i) => i.kind === 'decision'), id).toEqual([]);
      const on = createStrategy(id, { enabled: true });
      expect(w.send(on, { kind: 'window.closed', slug: other.slug }).filter((i) => i.kind === 'decision'), id).toEqual([]);
    }
  });

  it('strategies never read the wall clock: identical inputs at different real times give identical output', () => {
    const run = () => {
      const w = new World();
      const m = w.add(makeMarket());
      const s = createStrategy('two-sided-maker');
      w.atSec(10);
      w.setUp(m, 0.49, 0.51);
      return JSON.stringify(w.book(s, m));
    };
    expect(run()).toBe(run());
  });

  it('restart mid-window: reconciled positions are adopted (TP / stop resume, no second entry)', () => {
    const w = new World();
    const m = w.add(makeMarket());
    w.atSec(400);
    w.setUp(m, 0.7, 0.72);
    w.positions.set(m.upTokenId, { tokenId: m.upTokenId, shares: 10, avgPrice: 0.66, provisional: false });
    const tb = new TimeBucketStrategy(timeBucketConfigSchema.parse({}));
    expect(tb.onStart(w.ctx())).toEqual([]);
    const out = places(w.book(tb, m));
    expect(out).toEqual([expect.objectContaining({ side: 'SELL', price: 0.67, size: 10, tokenId: m.upTokenId })]);
    w.setUp(m, 0.5, 0.52);
    expect(places(w.book(tb, m))).toEqual([expect.objectContaining({ side: 'SELL', price: 0.01, size: 10 })]);

    const hammer = createStrategy('hammer', { watchReturnThreshold: 1e-9, dMin: 0 });
    hammer.onStart(w.ctx());
    for (let sec = 700; sec <= 890; sec++) w.history.push({ tsMs: m.startMs + sec * 1000, price: 99_200 + sec + (sec % 2 ? 3 : -3) });
    w.atSec(800);
    w.tick(hammer); // watch
    w.atSec(890);
    const d = w.tick(hammer).find((i) => i.kind === 'decision');
    expect(d).toMatchObject({ record: { reason: 'already-entered' } });

    const maker = createStrategy('two-sided-maker', { enableArbitrage: false, positionLimit: 10 });
    const w2 = new World();
    const m2 = w2.add(makeMarket());
    w2.positions.set(m2.upTokenId, { tokenId: m2.upTokenId, shares: 10, avgPrice: 0.5, provisional: false });
    w2.atSec(10);
    w2.setUp(m2, 0.49, 0.51);
    maker.onStart(w2.ctx());
    const q = places(w2.book(maker, m2));
    expect(q.map((p) => p.tokenId)).toEqual([m2.downTokenId]); // Up at the limit: only the Down bid
    expect(q[0]!.price).toBeGreaterThan(0.48); // skewed toward rebalancing
  });
});

describe('tradable window states', () => {
  it('open and closing windows take orders until their end; upcoming, closed and resolved ones do not', async () => {
    const { isTradable } = await import('../../../bot/strategies/common/market');
    const base = { startMs: 1_000, endMs: 301_000 } as const;
    const at = (state: string, nowMs: number) => isTradable({ ...base, state } as never, nowMs);
    expect(at('open', 100_000)).toBe(true);
    expect(at('closing', 290_000)).toBe(true); // the hammer's last seconds happen here
    expect(at('closing', 301_000)).toBe(false);
    expect(at('upcoming', 100_000)).toBe(false);
    expect(at('closed', 100_000)).toBe(false);
    expect(at('resolved', 100_000)).toBe(false);
  });
});
