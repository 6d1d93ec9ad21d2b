/** The maker's alpha flags, each driven through the strategy: with the flag on the quote changes as intended, with it off it does not. */
import { describe, expect, it } from 'vitest';
import { twoSidedMakerConfigSchema, type TwoSidedMakerConfig } from '../../../../bot/strategies/two-sided-maker/config';
import { TwoSidedMakerStrategy } from '../../../../bot/strategies/two-sided-maker/strategy';
import type { Intent } from '../../../../bot/strategies/intents';
import { signalRecordSchema, type SignalRecord } from '../../../../lib/schemas/events/strategy';
import { World, makeMarket, places, cancels } from '../world';

function setup(cfg: Partial<TwoSidedMakerConfig> = {}) {
  const w = new World();
  const m = w.add(makeMarket());
  const s = new TwoSidedMakerStrategy(twoSidedMakerConfigSchema.parse({ enableArbitrage: false, ...cfg }));
  return { w, m, s };
}
const signals = (out: readonly Intent[]): SignalRecord[] => out.flatMap((i) => (i.kind === 'signal' ? [i.record] : []));
const bidOf = (out: readonly Intent[], tokenId: string) => places(out).find((p) => p.tokenId === tokenId);

describe('maker alpha flags (strategy level)', () => {
  it('enableFlowSignals: OFI at/above FLOW_IMBALANCE_THRESHOLD widens the spread, below it does not', () => {
    const run = (on: boolean, buy: number, sell: number) => {
      // one-sided flow (SPEC rule) kept out of the way; OFI counts from 50 shares so only the pair triggers it
      const { w, m, s } = setup({ enableFlowSignals: on, flowMinShares: 1000, ofiMinShares: 50 });
      w.atSec(10);
      w.setUp(m, 0.49, 0.51);
      expect(bidOf(w.book(s, m), m.upTokenId)!.price).toBe(0.48);
      w.atSec(11);
      expect(w.send(s, { kind: 'trade', slug: m.slug, tokenId: m.upTokenId, price: 0.51, size: buy, side: 'BUY' }).filter((i) => i.kind !== 'signal')).toEqual([]);
      return w.send(s, { kind: 'trade', slug: m.slug, tokenId: m.upTokenId, price: 0.49, size: sell, side: 'SELL' });
    };
    const wide = run(true, 30, 20); // OFI 0.2, volume 50
    expect(places(wide).map((p) => p.price)).toEqual([0.47, 0.47]); // spread 0.04 + 0.01
    expect(signals(wide)[0]!.readings.find((r) => r.id === 'flowImbalance')).toMatchObject({ active: true, state: 'imbalanced', value: 0.2 });
    expect(places(run(true, 28.5, 21.5))).toEqual([]); // OFI 0.14: no requote
    expect(places(run(false, 30, 20))).toEqual([]);
  });

  it('enableMarkoutGuard: toxic markouts pause quoting for adversePauseSec, then quoting resumes', () => {
    const run = (on: boolean) => {
      const { w, m, s } = setup({ enableMarkoutGuard: on, markoutHorizonsSec: [5], markoutMinSamples: 3 });
      w.atSec(10);
      w.setUp(m, 0.49, 0.51);
      const up = bidOf(w.book(s, m), m.upTokenId)!;
      for (const size of [1, 2, 3]) w.fill(s, up, size, 0.48, 10 - size);
      w.atSec(15);
      w.setUp(m, 0.45, 0.47); // Up mid −0.04 five seconds after our Up buys: 3 of 3 adverse
      const out = w.book(s, m);
      w.atSec(74);
      w.setUp(m, 0.46, 0.48);
      const during = w.book(s, m);
      w.atSec(75);
      w.setUp(m, 0.45, 0.47);
      return { out, during, after: w.book(s, m) };
    };
    const on = run(true);
    expect(places(on.out)).toEqual([]);
    expect(cancels(on.out).length).toBeGreaterThan(0);
    expect(signals(on.out)[0]!.model).toMatchObject({ paused: true, toxicity: 1 });
    expect(places(on.during)).toEqual([]); // 59 s into the 60 s pause
    expect(places(on.after).length).toBe(2); // pause over, no new markouts: widen only
    expect(places(run(false).out).length).toBe(2);
  });

  it('enableStaleCleanup: a quote is cancelled and requoted once it is maxOrderAgeSec old, not before', () => {
    const run = (on: boolean) => {
      const { w, m, s } = setup({ enableStaleCleanup: on, maxOrderAgeSec: 300 });
      w.atSec(10);
      w.setUp(m, 0.49, 0.51);
      const first = places(w.book(s, m));
      w.atSec(309.999);
      const before = w.tick(s);
      w.atSec(310);
      const at = w.tick(s);
      w.atSec(311);
      return { first, before, at, next: w.tick(s) };
    };
    const on = run(true);
    expect(cancels(on.before)).toEqual([]);
    expect(cancels(on.at).map((c) => (c as { clientTag: string }).clientTag).sort()).toEqual(on.first.map((p) => p.clientTag).sort());
    expect(cancels(on.at).every((c) => c.kind === 'cancel' && c.reason === 'stale order')).toBe(true);
    expect(places(on.at).map((p) => p.price)).toEqual([0.48, 0.48]);
    expect(cancels(on.next)).toEqual([]); // the old quotes are not cancelled twice while their cancel is in flight
    expect(run(false).at).toEqual([]);
  });

  it('enableRegime: a thin book (low depth) widens the spread ×1.5 and halves the size once enough snapshots are seen', () => {
    const run = (on: boolean) => {
      const { w, m, s } = setup({ enableRegime: on, regimeMinSnapshots: 3, regimeWindowSize: 5 });
      w.atSec(10);
      w.setUp(m, 0.49, 0.51, 10); // depth 40 < 100
      const first = w.book(s, m);
      w.atSec(11);
      const second = w.tick(s);
      w.atSec(12);
      return { first, second, third: w.tick(s) };
    };
    const on = run(true);
    expect(places(on.first).map((p) => [p.price, p.size])).toEqual([[0.48, 10], [0.48, 10]]);
    expect(places(on.second)).toEqual([]); // 2 snapshots < regimeMinSnapshots
    expect(places(on.third).map((p) => [p.price, p.size])).toEqual([[0.47, 5], [0.47, 5]]);
    expect(signals(on.third)[0]!.model).toMatchObject({ regime: 'thin', spread: 0.06, sizeMult: 0.5 });
    expect(places(run(false).third)).toEqual([]);
  });

  it('enableKelly: size follows the fractional-Kelly stake; no edge-sized quote below the minimum', () => {
    const sizes = (cfg: Partial<TwoSidedMakerConfig>) => {
      const { w, m, s } = setup(cfg);
      w.atSec(10);
      w.setUp(m, 0.49, 0.51);
      return places(w.book(s, m)).map((p) => p.size);
    };
    expect(sizes({ enableKelly: true, kellyBankrollUsd: 1000 })).toEqual([10, 10]); // capped by quoteSizeShares
    expect(sizes({ enableKelly: true, kellyBankrollUsd: 300 })).toEqual([6, 6]);
    expect(sizes({ enableKelly: true, kellyBankrollUsd: 249 })).toEqual([]); // 4.98 shares < minimum 5
    expect(sizes({ enableKelly: false, kellyBankrollUsd: 249 })).toEqual([10, 10]);
  });

  it('enableCompetitor: a competitor bidding above us is improved by one tick, up to the fair-value floor', () => {
    const run = (on: boolean, compBid: number) => {
      const { w, m, s } = setup({ enableCompetitor: on, baseSpread: 0.06 });
      w.atSec(10);
      w.setBook(m, 'up', [[compBid, 100]], [[1 - compBid, 100]]);
      w.setBook(m, 'down', [[compBid, 100]], [[1 - compBid, 100]]);
      return w.book(s, m);
    };
    expect(places(run(false, 0.48)).map((p) => p.price)).toEqual([0.47, 0.47]); // model bid fair 0.5 − 0.03
    expect(places(run(true, 0.48)).map((p) => p.price)).toEqual([0.49, 0.49]); // improve to 0.49 = floor 0.5 − 0.01
    expect(places(run(true, 0.46)).map((p) => p.price)).toEqual([0.47, 0.47]); // alone at the top
    expect(signals(run(true, 0.48))[0]!.readings.find((r) => r.id === 'competitor:up')).toMatchObject({ state: 'improve', active: true });
  });

  it('enableCompetitor: a fast competitor that keeps bettering our requotes makes us step back one tick', () => {
    const { w, m, s } = setup({ enableCompetitor: true, competitorMinObservations: 2, competitorReactSec: 2, competitorFastSec: 3 });
    const touch = (sec: number, upBid: number) => {
      w.atSec(sec);
      w.setBook(m, 'up', [[upBid, 100]], [[+(1 - upBid).toFixed(2), 100]]); // Up mid stays 0.5
      w.setBook(m, 'down', [[0.47, 100]], [[0.53, 100]]);
      return w.book(s, m);
    };
    const upBid = (out: readonly Intent[]) => bidOf(out, m.upTokenId)?.price;
    expect(upBid(touch(10, 0.47))).toBe(0.48); // alone above the touch
    expect(upBid(touch(11, 0.49))).toBe(0.49); // bettered 1 s after our quote: join at the floor 0.49
    expect(upBid(touch(12, 0.47))).toBe(0.48);
    const out = touch(13, 0.49); // bettered again (2 of 2), touch changes every second
    expect(upBid(out)).toBe(0.47);
    expect(signals(out)[0]!.readings.find((r) => r.id === 'competitor:up')).toMatchObject({ state: 'step-back', value: 1, strength: 1 });
  });

  it('enableTimePatterns: the time bucket where our fills were picked off quotes wider', () => {
    const run = (on: boolean) => {
      const { w, m, s } = setup({ enableTimePatterns: on, timeMinSamples: 2, timeWiden: 0.02, markoutHorizonsSec: [5] });
      w.atSec(10);
      w.setUp(m, 0.49, 0.51);
      const up = bidOf(w.book(s, m), m.upTokenId)!;
      for (const size of [1, 2]) w.fill(s, up, size, 0.48, 10 - size);
      w.atSec(15);
      w.setUp(m, 0.45, 0.47);
      return w.book(s, m);
    };
    const on = places(run(true));
    const off = places(run(false));
    expect(on.map((p) => p.price)).toEqual(off.map((p) => +(p.price - 0.01).toFixed(2)));
    expect(signals(run(true))[0]!.readings.find((r) => r.id === 'timeOfWindow')).toMatchObject({ active: true, effect: 'spread +0.020' });
  });

  it('signals: one per requote, at most one per second otherwise, schema-valid, every addition reported even when off', () => {
    const { w, m, s } = setup();
    w.atSec(10);
    w.setUp(m, 0.49, 0.51);
    const first = signals(w.book(s, m));
    expect(first).toHaveLength(1);
    expect(signalRecordSchema.parse(first[0])).toBeTruthy();
    const ids = first[0]!.readings.map((r) => r.id);
    for (const id of ['flowImbalance', 'bookImbalance', 'regime', 'timeOfWindow', 'markout', 'competitor:up', 'kelly:down', 'staleOrders']) expect(ids).toContain(id);
    expect(first[0]!.readings.filter((r) => r.id !== 'volatility' && r.id !== 'oneSidedFlow').every((r) => !r.active)).toBe(true);
    expect(first[0]!.model).toMatchObject({ upBid: 0.48, downBid: 0.48, upSize: 10, spread: 0.04, paused: false });
    expect(first[0]!.summary).toContain('Up 0.48');
    w.atSec(10.5);
    expect(signals(w.tick(s))).toHaveLength(0);
    w.atSec(11);
    const held = signals(w.tick(s));
    expect(held).toHaveLength(1);
    expect(held[0]!.summary).toContain('holding');
  });
});
