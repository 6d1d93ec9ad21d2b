/**
 * Do the simulator's books look like Polymarket's? The same statistics code (bot/markets/book-stats.ts) measures
 * (a) every `book` frame the simulator sends on the market channel (the exact wire text a client receives) over three
 * simulated hours, and (b) the real BTC 5m snapshots shipped in samples/polymarket-btc-5m-books. Both must fall in
 * the same bands, so the bands are shown to describe real books and the simulator is shown to be inside them.
 * The tick must be 0.01 across the book's normal range and 0.001 only at a mid outside [0.04, 0.96].
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { BookStatsAccumulator, type BookStats, formatBookStats } from '../../../bot/markets/book-stats';
import { readBookParquetDir } from '../../../bot/replay/parquet-books';
import { startSim } from '../../../bot/sim';

const SAMPLE = join(__dirname, '../../../samples/polymarket-btc-5m-books/market_data');
const SIM_HOURS = 3;

interface WireBook {
  event_type: string;
  bids: { price: string; size: string }[];
  asks: { price: string; size: string }[];
  tick_size: string;
}

function expectRealisticShape(label: string, s: BookStats): void {
  expect(s.measured, label).toBeGreaterThan(3_000);
  expect(s.oneTickShare, `${label} one-tick share`).toBeGreaterThanOrEqual(0.6);
  expect(s.oneTickShare, `${label} one-tick share`).toBeLessThanOrEqual(0.9);
  expect(s.touchUsdP50, `${label} touch p50`).toBeGreaterThanOrEqual(120);
  expect(s.touchUsdP50, `${label} touch p50`).toBeLessThanOrEqual(600);
  expect(s.bidDepth5cUsdP50, `${label} bid depth 5c p50`).toBeGreaterThanOrEqual(400);
  expect(s.bidDepth5cUsdP50, `${label} bid depth 5c p50`).toBeLessThanOrEqual(2000);
  expect(s.levelsP50, `${label} levels p50`).toBeGreaterThanOrEqual(40);
  expect(s.levelsP50, `${label} levels p50`).toBeLessThanOrEqual(150);
}

async function simulatedStats(): Promise<BookStats> {
  const clock = new SimClock(1791244800000 - 30_000);
  const sim = await startSim({ clock, seed: 'book-realism', noServers: true });
  const acc = new BookStatsAccumulator();
  sim.model.hub.tap((stream, text) => {
    if (stream !== 'market' || !text.startsWith('{"event_type":"book"')) return;
    const e = JSON.parse(text) as WireBook;
    acc.add({ bids: e.bids, asks: e.asks, tickSize: e.tick_size });
  });
  const end = clock.nowMs() + SIM_HOURS * 3_600_000;
  while (clock.nowMs() < end) clock.advanceBy(1_000);
  await sim.close();
  return acc.stats();
}

describe('simulated books look like real Polymarket BTC 5m books', () => {
  it('real sample and simulator fall in the same bands, measured by the same code', async () => {
    const real = await readBookParquetDir(SAMPLE);
    expect(real.invalid).toBe(0);
    const realStats = new BookStatsAccumulator();
    for (const r of real.rows) realStats.add({ bids: r.bids, asks: r.asks, tickSize: r.tickSize });
    const rs = realStats.stats();
    const ss = await simulatedStats();
    console.log(`${formatBookStats('real sample', rs)}\n${formatBookStats(`simulator ${SIM_HOURS} h`, ss)}`);

    expectRealisticShape('real sample', rs);
    expectRealisticShape('simulator', ss);

    // Spreads wider than one tick happen, but a two-tick spread is already the 90th percentile or close to it.
    expect(ss.spreadTicksP50).toBe(1);
    expect(ss.spreadTicksP90).toBeLessThanOrEqual(3);

    // Tick: 0.01 is used across the range (both books show it at mids below 0.05 and above 0.95) ...
    for (const s of [rs, ss]) {
      expect(s.tick.coarseMidMin!).toBeLessThanOrEqual(0.05);
      expect(s.tick.coarseMidMax!).toBeGreaterThanOrEqual(0.95);
    }
    // ... and the simulator switches to 0.001 only at a displayed mid outside [0.04, 0.96].
    expect(ss.tick.fineCount).toBeGreaterThan(0);
    expect(Math.abs(ss.tick.fineInnermostMid! - 0.5)).toBeGreaterThan(0.46 + 1e-9);
  });
});
