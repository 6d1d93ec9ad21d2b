/**
 * Several series side by side in one simulated world (BTC and ETH 5m and 15m, BTC hourly) through the night DST ends:
 * every window of every series rolls, resolves once and pays out its winning shares; TWAP series settle on their own
 * asset's reference TWAP-60 (checked against an independent TWAP of that asset's reports), the hourly series on BTC's
 * spot candle (open = the spot step at the start, close = the last step before the end); the repeated 1 AM ET hour
 * gets its own slug. A series added while running opens, rolls and settles. Adding series and assets leaves the
 * default BTC series exactly as they are alone, and bad series options are refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { startSim } from '../../../bot/sim';
import { SimComponent } from '../../../bot/sim/sim-component';
import type { Settlement } from '../../../bot/sim/model';
import { DEFAULT_SERIES, simSeriesFor, type SeriesSpec } from '../../../bot/sim/series';
import { simAssetsFor } from '../../../bot/sim/sim-assets';

// 2026-11-01T04:00Z = midnight EDT; DST ends at 06:00Z, so 05:00Z and 06:00Z are both 1 AM ET.
const DAY0 = Date.UTC(2026, 10, 1, 4);
const HOURS = 4;
const SERIES = simSeriesFor([
  { asset: 'btc', windowSec: 300 },
  { asset: 'eth', windowSec: 300 },
  { asset: 'btc', windowSec: 900 },
  { asset: 'eth', windowSec: 900 },
  { asset: 'btc', windowSec: 3600 },
]);
const FAST_CROWD = { makerRequoteMs: 5000, takerMeanIntervalMs: 5000 };

function twapAt(refs: { tMs: number; value: number }[], tMs: number): number {
  const inside = refs.filter((r) => r.tMs > tMs - 60_000 && r.tMs <= tMs);
  return inside.reduce((s, r) => s + r.value, 0) / inside.length;
}

describe('several series in one simulated world', () => {
  it('rolls, settles by each series source and pays every window of every series', async () => {
    const clock = new SimClock(DAY0 - 30_000);
    const sim = await startSim({ clock, seed: 'multi', noServers: true, series: SERIES, assets: simAssetsFor(['btc', 'eth']), correlation: 0.8, crowd: FAST_CROWD, resolutionDelayMs: 5000 });
    const refs = new Map<string, { tMs: number; value: number }[]>();
    const spots = new Map<number, number>();
    for (const pm of sim.model.world.models) {
      const list = pm.referenceHistory.toArray(); // the synthetic past, then every live report
      refs.set(pm.asset, list);
      pm.onReference((r) => list.push(r));
    }
    sim.model.pricesFor('btc')!.onSpot((p) => spots.set(p.tMs, p.value));
    // The hourly makers price the spot candle: 20 s before each end their fair value sides with spot vs the open.
    const sided: boolean[] = [];
    for (let h = 1; h <= HOURS; h++) {
      clock.at(DAY0 + h * 3_600_000 - 20_000, 'test.fair', () => {
        const m = sim.model.activeMarkets().find((x) => x.spec.durationSec === 3600 && x.status === 'open')!;
        const spot = sim.model.pricesFor('btc')!.spotAt(clock.nowMs() - 1000);
        const fair = sim.model.crowd(m)!.fair();
        if (Math.abs(spot - m.priceToBeat!) > 60) sided.push(fair > 0.5 === spot >= m.priceToBeat!);
      });
    }
    clock.advanceTo(DAY0 + HOURS * 3_600_000 + 10_000);
    const settlements = sim.model.settlements.toArray();
    await sim.close();

    const bySeries = new Map<SeriesSpec, Settlement[]>(SERIES.map((s) => [s, []]));
    for (const st of settlements) {
      const spec = SERIES.find((s) => sim.model.registry.slug(st.slug)?.spec === s)!;
      bySeries.get(spec)!.push(st);
    }
    expect(new Set(settlements.map((s) => s.slug)).size, 'each window settles once').toBe(settlements.length);
    for (const [spec, list] of bySeries) {
      // Every window that ended inside the run (plus the one running at the start) resolved.
      expect(list.length, spec.seriesSlug).toBe((HOURS * 3600) / spec.durationSec + 1);
      for (const st of list) {
        expect(st.winner, st.slug).toBe(st.finalPrice >= st.priceToBeat ? 'Up' : 'Down');
        expect(st.paidMicro, st.slug).toBe(st.winningSharesMicro);
        expect(st.upSupplyMicro, st.slug).toBe(st.downSupplyMicro);
      }
    }
    for (const spec of SERIES.filter((s) => s.settlement !== 'spot-candle')) {
      const assetRefs = refs.get(spec.asset)!;
      const list = bySeries.get(spec)!.slice(1); // the first window began before the simulator
      for (const st of list) {
        const m = sim.model.registry.slug(st.slug)!;
        expect(st.priceToBeat, `${st.slug} open`).toBeCloseTo(twapAt(assetRefs, m.startMs), 6);
        expect(st.finalPrice, `${st.slug} close`).toBeCloseTo(twapAt(assetRefs, m.endMs), 6);
      }
    }
    const hourly = bySeries.get(SERIES[4]!)!;
    for (const st of hourly.slice(1)) {
      const m = sim.model.registry.slug(st.slug)!;
      expect(st.priceToBeat, `${st.slug} candle open`).toBe(spots.get(m.startMs));
      expect(st.finalPrice, `${st.slug} candle close`).toBe(spots.get(m.endMs - 250));
    }
    expect(hourly.map((s) => s.slug)).toEqual([
      'bitcoin-up-or-down-october-31-11pm-et',
      'bitcoin-up-or-down-november-1-12am-et',
      'bitcoin-up-or-down-november-1-1am-et',
      'bitcoin-up-or-down-november-1-1am-et-2',
      'bitcoin-up-or-down-november-1-2am-et',
    ]);
    expect(sided.length).toBeGreaterThan(0);
    expect(sided.every(Boolean)).toBe(true);
  });

  it('adding ETH, SOL and BTC hourly leaves the default BTC series exactly as they are alone', async () => {
    const run = async (extra: boolean) => {
      const clock = new SimClock(DAY0 - 45_000);
      const sim = await startSim({
        clock,
        seed: 'same',
        noServers: true,
        crowd: FAST_CROWD,
        ...(extra ? { series: [...SERIES, ...simSeriesFor([{ asset: 'sol', windowSec: 900 }])], assets: simAssetsFor(['eth', 'sol', 'btc']), correlation: 0.6 } : {}),
      });
      const books: string[] = [];
      clock.every(7_000, 'test.books', () => {
        for (const m of sim.model.activeMarkets()) if (DEFAULT_SERIES.some((d) => d.seriesId === m.spec.seriesId)) books.push(`${m.slug} ${JSON.stringify(m.book.view('Up', 8))} ${m.fairUp} ${m.tickMilli}`);
      });
      clock.advanceTo(DAY0 + 40 * 60_000);
      const st = sim.model.settlements.toArray().filter((s) => s.slug.startsWith('btc-updown-'));
      await sim.close();
      return { books, st };
    };
    const alone = await run(false);
    const together = await run(true);
    expect(alone.st.length).toBeGreaterThan(8);
    expect(together.st).toEqual(alone.st);
    expect(alone.books.length).toBeGreaterThan(500);
    expect(together.books).toEqual(alone.books);
  });

  it('lists a series added while running: it opens, rolls and settles, and the others keep their draws', async () => {
    const run = async (add: boolean) => {
      const clock = new SimClock(DAY0 - 45_000);
      const comp = new SimComponent({ clock, seed: 7, assets: simAssetsFor(['btc', 'eth']), extra: { noServers: true, crowd: FAST_CROWD, resolutionDelayMs: 5000 } });
      await comp.start();
      const sim = comp.sim!;
      clock.advanceTo(DAY0 + 7 * 60_000);
      if (add) {
        expect(comp.addSeries(simSeriesFor([{ asset: 'btc', windowSec: 300 }, { asset: 'eth', windowSec: 300 }, { asset: 'eth', windowSec: 3600 }])).map((s) => s.seriesSlug)).toEqual(['eth-up-or-down-5m', 'eth-up-or-down-hourly']);
        expect(() => comp.addSeries(simSeriesFor([{ asset: 'sol', windowSec: 300 }]))).toThrow(/sol is not simulated/);
      }
      clock.advanceTo(DAY0 + 70 * 60_000);
      const st = sim.model.settlements.toArray();
      await comp.dispose();
      return st;
    };
    const plain = await run(false);
    const added = await run(true);
    const eth = added.filter((s) => s.slug.startsWith('eth-updown-5m-'));
    // The window running when it was added (04:05) and every later one resolved by 05:10 (04:05 ... 05:00) settle.
    expect(eth.map((s) => s.slug)).toEqual(Array.from({ length: 12 }, (_, i) => `eth-updown-5m-${DAY0 / 1000 + 300 + i * 300}`));
    expect(added.filter((s) => s.slug.startsWith('ethereum-up-or-down-'))).toHaveLength(1);
    expect(added.filter((s) => s.slug.startsWith('btc-'))).toEqual(plain);
  });

  it('refuses series that no asset prices, duplicates and a misnamed hourly series', async () => {
    const clock = new SimClock(DAY0);
    const start = (o: Parameters<typeof startSim>[0]) => startSim({ ...o, clock, noServers: true });
    await expect(start({ clock, series: SERIES, assets: simAssetsFor(['btc']) })).rejects.toThrow(/eth-up-or-down-5m: its asset eth is not simulated \(assets: btc\)/);
    await expect(start({ clock, series: [...SERIES, ...simSeriesFor([{ asset: 'eth', windowSec: 300, seriesId: '1' }])] })).rejects.toThrow(/same asset and window length/);
    await expect(start({ clock, series: [{ ...SERIES[4]!, durationSec: 900, label: '15x' }] })).rejects.toThrow(/hourly slug scheme needs a 3600 s window/);
    await expect(start({ clock, series: [{ ...DEFAULT_SERIES[0]!, durationSec: 290 }] })).rejects.toThrow(/durationSec/);
    await expect(start({ clock, assets: [{ asset: 'btc', name: 'Bitcoin', startPrice: -1, annualVol: 0.5 }] })).rejects.toThrow(/startPrice/);
  });
});
