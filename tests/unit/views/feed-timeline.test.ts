/**
 * The Feeds page's read model (bot/views/feed-timeline.ts) on a real EventBus and a SimClock: prices per asset
 * (interleaved BTC and ETH never mix; a bounded number of assets), one price row per second on the bus clock with the
 * latest value of each series (carried at most carryMs), divergence in USD and bps (recomputed here from the
 * published prices), the 30-minute / count bounds, status intervals per feed from
 * feed.health / feed.stale / feed.recovered, reconnect times, msgs/s and bad frames, seeding from the bus history,
 * and schema-valid output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { createRuntime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import { FeedTimeline } from '../../../bot/views/feed-timeline';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import type { BotEvent, EventInput } from '../../../lib/schemas/events';
import { feedsLimits, feedsSnapshotSchema, feedsTiming, foldFeedEvent, type AssetPrices, type FeedsSnapshot, type PricePoint } from '../../../lib/schemas/feeds';

const T0 = 1_795_242_000_000; // a whole second (and a whole 5 s)

function setup(opts: { historySize?: number } = {}) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock, historySize: opts.historySize });
  const publishAt = (ms: number, e: EventInput) => {
    clock.advanceTo(ms);
    bus.publish(e);
  };
  return { clock, bus, publishAt };
}

const ref = (priceUsd: number, symbol = 'btcusd'): EventInput => ({ type: 'ref.price', source: 'polybolt', kind: 'live', symbol, priceUsd });
const twap = (priceUsd: number, symbol = 'btcusd'): EventInput => ({ type: 'ref.price', source: 'polybolt', kind: 'twap60', symbol, priceUsd });
const spot = (priceUsd: number, symbol = 'btcusdt'): EventInput => ({ type: 'spot.price', source: 'binance', symbol, priceUsd });
type HealthOpts = { state?: 'open' | 'backoff' | 'connecting' | 'closed' | 'idle'; stale?: boolean; reconnects?: number; msgsPerSec?: number; badFrames?: number };
const health = (feed: 'polybolt' | 'spot' | 'clob-market', o: HealthOpts = {}): EventInput => ({
  type: 'feed.health', feed, state: o.state ?? 'open', msgsPerSec: o.msgsPerSec ?? 5, reconnects: o.reconnects ?? 0, stale: o.stale ?? false, badFrames: o.badFrames ?? 0, lastMsgAgeMs: 100,
});

const parse = (s: FeedsSnapshot) => feedsSnapshotSchema.parse(JSON.parse(JSON.stringify(s)));
/** One asset's prices in a snapshot (an empty entry when the asset is not there, so a missing one fails its checks). */
const priced = (s: FeedsSnapshot, asset = 'btc'): AssetPrices => s.assets.find((a) => a.asset === asset) ?? { asset, symbols: { ref: null, spot: null }, latest: { ref: null, twap: null, spot: null }, points: [] };
const timelines: FeedTimeline[] = [];
const stores: Store[] = [];
function timeline(bus: EventBus, clock: SimClock): FeedTimeline {
  const t = new FeedTimeline({ bus, clock });
  timelines.push(t);
  return t;
}
afterEach(() => {
  for (const t of timelines.splice(0)) t.dispose();
  for (const s of stores.splice(0)) s.close();
});

describe('FeedTimeline prices', () => {
  it('samples one row per bus-clock second holding the latest value of each series, with divergence', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0 + 100, ref(100_000));
    publishAt(T0 + 200, twap(99_990));
    publishAt(T0 + 300, spot(100_020));
    publishAt(T0 + 900, spot(100_030)); // same second: replaces
    publishAt(T0 + 1_050, ref(100_010)); // next second: spot and TWAP carried
    publishAt(T0 + 1_500, { type: 'book.top', tokenId: 'x', bestBid: 0.4, bestAsk: 0.6 } as EventInput); // not a price
    const s = parse(tl.snapshot());
    expect(priced(s).points.map((p) => p.tMs)).toEqual([T0, T0 + 1_000]);
    const [a, b] = priced(s).points as [PricePoint, PricePoint];
    expect([a.refUsd, a.twapUsd, a.spotUsd]).toEqual([100_000, 99_990, 100_030]);
    expect([b.refUsd, b.twapUsd, b.spotUsd]).toEqual([100_010, 99_990, 100_030]);
    // Divergence recomputed here: spot − ref in USD and in bps of ref; ref − TWAP in USD and in bps of TWAP.
    expect(a.spotRefUsd).toBeCloseTo(30, 9);
    expect(a.spotRefBps).toBeCloseTo((30 / 100_000) * 1e4, 9); // 3 bps
    expect(a.refTwapUsd).toBeCloseTo(10, 9);
    expect(a.refTwapBps).toBeCloseTo((10 / 99_990) * 1e4, 9);
    expect(b.spotRefUsd).toBeCloseTo(20, 9);
    expect(b.spotRefBps).toBeCloseTo((20 / 100_010) * 1e4, 9);
    expect(b.refTwapBps).toBeCloseTo((20 / 99_990) * 1e4, 9);
    expect(priced(s).latest.ref).toEqual({ priceUsd: 100_010, tsMs: T0 + 1_050, tsEventMs: T0 + 1_050, source: 'polybolt' });
    expect(priced(s).latest.spot?.priceUsd).toBe(100_030);
    expect(s.nowMs).toBe(T0 + 1_500);
    expect(s.seq).toBe(bus.stats.lastSeq);
  });

  it('does not carry a value older than carryMs into a row (a stale series is a gap, and so is its divergence)', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0, ref(100_000));
    publishAt(T0 + 10, spot(100_050));
    publishAt(T0 + feedsTiming.carryMs + 1_000, spot(100_060));
    const last = priced(tl.snapshot()).points.at(-1)!;
    expect(last.spotUsd).toBe(100_060);
    expect(last.refUsd).toBeNull();
    expect(last.spotRefUsd).toBeNull();
    expect(last.spotRefBps).toBeNull();
    expect(priced(tl.snapshot()).latest.ref?.priceUsd).toBe(100_000); // the latest value itself is kept
  });

  it('keeps at most the last 30 minutes and at most feedsLimits.points rows', () => {
    const { bus, clock, publishAt } = setup({ historySize: 100 });
    const tl = timeline(bus, clock);
    const seconds = 40 * 60;
    for (let i = 0; i < seconds; i++) {
      publishAt(T0 + i * 1_000, spot(100_000 + i));
      publishAt(T0 + i * 1_000 + 500, ref(100_000));
    }
    const s = parse(tl.snapshot());
    const nowMs = T0 + (seconds - 1) * 1_000 + 500;
    expect(s.nowMs).toBe(nowMs);
    expect(priced(s).points.length).toBeLessThanOrEqual(feedsLimits.points);
    expect(priced(s).points[0]!.tMs).toBeGreaterThanOrEqual(nowMs - 30 * 60_000);
    expect(priced(s).points.at(-1)).toMatchObject({ tMs: T0 + (seconds - 1) * 1_000, spotUsd: 100_000 + seconds - 1, refUsd: 100_000 });
    // Every second inside the window is there, in order.
    const ts = priced(s).points.map((p) => p.tMs);
    for (let i = 1; i < ts.length; i++) expect(ts[i]! - ts[i - 1]!).toBe(1_000);
    // The snapshot trims by the clock too: 10 quiet minutes later a third of the window has aged out.
    clock.advanceTo(nowMs + 10 * 60_000);
    const later = tl.snapshot();
    expect(priced(later).points[0]!.tMs).toBeGreaterThanOrEqual(nowMs + 10 * 60_000 - 30 * 60_000);
    expect(priced(later).points.length).toBeLessThan(priced(s).points.length);
  });
});

describe('FeedTimeline feed status, reconnects and rates', () => {
  it('turns health and edge events into open / stale / backoff / connecting intervals, with holes for silence', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0, health('polybolt'));
    publishAt(T0 + 1_000, health('polybolt'));
    publishAt(T0 + 1_500, { type: 'feed.stale', feed: 'polybolt', ageMs: 3_000 });
    publishAt(T0 + 2_000, health('polybolt', { stale: true }));
    publishAt(T0 + 3_000, health('polybolt', { state: 'backoff', stale: true }));
    publishAt(T0 + 4_000, health('polybolt', { state: 'connecting', stale: true }));
    publishAt(T0 + 4_200, { type: 'feed.stale', feed: 'polybolt', ageMs: 5_000 }); // already not open: stays connecting
    publishAt(T0 + 5_000, health('polybolt', { reconnects: 1 }));
    publishAt(T0 + 5_100, { type: 'feed.recovered', feed: 'polybolt' });
    publishAt(T0 + 6_000, health('polybolt', { reconnects: 1 }));
    // Silence longer than gapMs (e.g. the bot stopped), then open again: a hole, not one long interval.
    publishAt(T0 + 6_000 + feedsTiming.gapMs + 1_000, health('polybolt', { reconnects: 1 }));
    const f = parse(tl.snapshot()).feeds.find((x) => x.feed === 'polybolt')!;
    expect(f.intervals).toEqual([
      { status: 'open', startMs: T0, endMs: T0 + 1_500 },
      { status: 'stale', startMs: T0 + 1_500, endMs: T0 + 3_000 },
      { status: 'backoff', startMs: T0 + 3_000, endMs: T0 + 4_000 },
      { status: 'connecting', startMs: T0 + 4_000, endMs: T0 + 5_000 },
      { status: 'open', startMs: T0 + 5_000, endMs: T0 + 6_000 },
      { status: 'open', startMs: T0 + 6_000 + feedsTiming.gapMs + 1_000, endMs: T0 + 6_000 + feedsTiming.gapMs + 1_000 },
    ]);
    expect(f.status).toBe('open');
    expect(f.reconnects).toBe(1);
    expect(f.reconnectTimesMs).toEqual([T0 + 5_000]);
  });

  it('records when the reconnect counter rises (one time per step), ignores a counter reset, bounds the lists', () => {
    const { bus, clock, publishAt } = setup({ historySize: 50 });
    const tl = timeline(bus, clock);
    publishAt(T0, health('spot', { reconnects: 2 })); // first report: the baseline, not a reconnect
    publishAt(T0 + 1_000, health('spot', { reconnects: 4 }));
    publishAt(T0 + 2_000, health('spot', { reconnects: 0 })); // new feed instance after a restart
    publishAt(T0 + 3_000, health('spot', { reconnects: 1 }));
    let f = tl.snapshot().feeds.find((x) => x.feed === 'spot')!;
    expect(f.reconnectTimesMs).toEqual([T0 + 1_000, T0 + 1_000, T0 + 3_000]);
    expect(f.reconnects).toBe(1);
    // Flapping for a long time: intervals and reconnect times stay bounded, newest kept.
    let t = T0 + 4_000;
    for (let i = 0; i < 400; i++) {
      publishAt((t += 1_000), health('spot', { state: i % 2 ? 'open' : 'backoff', stale: i % 2 === 0, reconnects: 2 + i }));
    }
    const s = parse(tl.snapshot());
    f = s.feeds.find((x) => x.feed === 'spot')!;
    expect(f.intervals.length).toBe(feedsLimits.intervals);
    expect(f.intervals.at(-1)).toEqual({ status: 'open', startMs: t, endMs: t });
    expect(f.reconnectTimesMs.length).toBe(feedsLimits.reconnectTimes);
    expect(f.reconnectTimesMs.at(-1)).toBe(t);
  });

  it('keeps msgs/s and bad frames per feed every 5 s, feeds in a fixed order', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0 + 1_000, health('spot', { msgsPerSec: 10, badFrames: 0 }));
    publishAt(T0 + 2_000, health('clob-market', { msgsPerSec: 40 }));
    publishAt(T0 + 4_000, health('spot', { msgsPerSec: 12, badFrames: 1 }));
    publishAt(T0 + 6_000, health('spot', { msgsPerSec: 8, badFrames: 3 }));
    const s = parse(tl.snapshot());
    expect(s.feeds.map((f) => f.feed)).toEqual(['clob-market', 'spot']);
    const sp = s.feeds[1]!;
    expect(sp.rate).toEqual([
      { tMs: T0 + 4_000, msgsPerSec: 12, badFrames: 1 }, // the 5 s slot's latest report
      { tMs: T0 + 6_000, msgsPerSec: 8, badFrames: 3 },
    ]);
    expect([sp.msgsPerSec, sp.badFrames, sp.reportedMs]).toEqual([8, 3, T0 + 6_000]);
  });
});

describe('FeedTimeline per asset', () => {
  it('keeps each asset in its own rows: interleaved BTC and ETH prices never mix, divergence is within one asset', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0 + 100, ref(100_000));
    publishAt(T0 + 150, ref(3_000, 'ethusd'));
    publishAt(T0 + 200, spot(100_030));
    publishAt(T0 + 250, spot(3_001.5, 'ethusdt'));
    publishAt(T0 + 300, twap(2_999, 'ethusd'));
    publishAt(T0 + 1_100, ref(3_002, 'ethusd')); // the next second: only ETH gets a row
    const s = parse(tl.snapshot());
    expect(s.assets.map((a) => a.asset)).toEqual(['btc', 'eth']);
    const btc = priced(s, 'btc');
    const eth = priced(s, 'eth');
    expect(btc.symbols).toEqual({ ref: 'btcusd', spot: 'btcusdt' });
    expect(eth.symbols).toEqual({ ref: 'ethusd', spot: 'ethusdt' });
    expect(btc.points.map((p) => [p.tMs, p.refUsd, p.twapUsd, p.spotUsd])).toEqual([[T0, 100_000, null, 100_030]]);
    expect(eth.points.map((p) => [p.tMs, p.refUsd, p.twapUsd, p.spotUsd])).toEqual([
      [T0, 3_000, 2_999, 3_001.5],
      [T0 + 1_000, 3_002, 2_999, 3_001.5],
    ]);
    expect(btc.points[0]!.spotRefUsd).toBeCloseTo(30, 9);
    expect(btc.points[0]!.spotRefBps).toBeCloseTo((30 / 100_000) * 1e4, 9);
    expect(eth.points[0]!.spotRefUsd).toBeCloseTo(1.5, 9);
    expect(eth.points[0]!.spotRefBps).toBeCloseTo((1.5 / 3_000) * 1e4, 9);
    expect(eth.points[1]!.refTwapBps).toBeCloseTo((3 / 2_999) * 1e4, 9);
    expect([btc.latest.ref?.priceUsd, btc.latest.twap, eth.latest.ref?.priceUsd, eth.latest.spot?.priceUsd]).toEqual([100_000, null, 3_002, 3_001.5]);
  });

  it('ignores a symbol that names no asset, bounds the assets (evicting the one priced longest ago) and drops one silent for the window', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0, ref(100_000));
    publishAt(T0 + 10, spot(5, 'x'));
    expect(parse(tl.snapshot()).assets.map((a) => a.asset)).toEqual(['btc']);
    const names = ['eth', 'sol', 'xrp', 'doge', 'bnb', 'hype', 'ada', 'dot', 'link'];
    names.forEach((a, i) => publishAt(T0 + 1_000 * (i + 1), ref(10 + i, `${a}usd`)));
    publishAt(T0 + 20_000, ref(100_100)); // BTC priced again: it is not the one priced longest ago any more
    publishAt(T0 + 21_000, ref(1, 'uniusd'));
    const s = parse(tl.snapshot());
    expect(s.assets).toHaveLength(feedsLimits.assets);
    // Eleven assets seen, eight kept: the three priced longest ago (eth, sol, xrp) went, BTC stayed.
    expect(s.assets.map((a) => a.asset).sort()).toEqual(['ada', 'bnb', 'btc', 'doge', 'dot', 'hype', 'link', 'uni']);
    // Everything but BTC falls silent: 30 minutes after its last price an asset leaves the snapshot.
    for (let m = 1; m <= 31; m++) publishAt(T0 + 21_000 + m * 60_000, ref(100_000 + m));
    expect(parse(tl.snapshot()).assets.map((a) => a.asset)).toEqual(['btc']);
  });
});

describe('FeedTimeline lifecycle', () => {
  it('seeded from the bus history: a timeline created late equals one that watched from the start', () => {
    const { bus, clock, publishAt } = setup();
    const early = timeline(bus, clock);
    publishAt(T0, health('polybolt'));
    publishAt(T0 + 200, ref(100_000));
    publishAt(T0 + 300, twap(99_950));
    publishAt(T0 + 1_200, spot(100_100));
    publishAt(T0 + 1_400, { type: 'feed.stale', feed: 'polybolt', ageMs: 2_000 });
    const late = timeline(bus, clock);
    expect(late.snapshot()).toEqual(early.snapshot());
    publishAt(T0 + 2_100, { type: 'feed.recovered', feed: 'polybolt' });
    publishAt(T0 + 2_500, spot(100_200));
    const s = parse(late.snapshot());
    expect(s).toEqual(early.snapshot());
    expect(priced(s).points.map((p) => [p.tMs, p.refUsd, p.spotUsd])).toEqual([
      [T0, 100_000, null],
      [T0 + 1_000, 100_000, 100_100],
      [T0 + 2_000, 100_000, 100_200],
    ]);
    expect(s.feeds[0]!.intervals.map((i) => i.status)).toEqual(['open', 'stale', 'open']);
  });

  it('the browser overlay: the events after a snapshot, folded onto it, give the later snapshot', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0, health('polybolt'));
    publishAt(T0 + 100, ref(100_000));
    publishAt(T0 + 150, spot(100_040));
    const first = tl.snapshot();
    const later: BotEvent[] = [];
    bus.onAny((e) => later.push(e));
    publishAt(T0 + 700, twap(99_980)); // same second as the snapshot's last row
    publishAt(T0 + 1_000, health('polybolt', { reconnects: 1, msgsPerSec: 3 }));
    publishAt(T0 + 1_300, { type: 'feed.stale', feed: 'spot', ageMs: 4_000 });
    publishAt(T0 + 2_400, spot(100_090));
    publishAt(T0 + 2_500, { type: 'runtime.heartbeat', instanceId: 'x', state: 'running', uptimeMs: 1, eventsPerSec: 1 });
    let overlay = first;
    for (const e of [...bus.history.recent(bus.history.size).filter((x) => x.seq <= first.seq), ...later]) {
      if (e.seq > overlay.seq) overlay = foldFeedEvent(overlay, e) ?? overlay; // old events are skipped by seq
    }
    const server = tl.snapshot();
    expect({ ...overlay, seq: server.seq, nowMs: server.nowMs }).toEqual(server);
    expect(priced(overlay).points.map((p) => p.tMs)).toEqual([T0, T0 + 2_000]); // no price in the second between
    expect(overlay.feeds.map((f) => [f.feed, f.status])).toEqual([['polybolt', 'open'], ['spot', 'stale']]);
  });

  it('stops following the bus after dispose', () => {
    const { bus, clock, publishAt } = setup();
    const tl = timeline(bus, clock);
    publishAt(T0, spot(100_000));
    tl.dispose();
    publishAt(T0 + 1_000, spot(100_001));
    expect(priced(tl.snapshot()).points).toHaveLength(1);
    expect(bus.listenerCount()).toBe(0);
  });

  it('is the runtime views.feeds, and its snapshot parses with the schema', () => {
    const clock = new SimClock(T0);
    const store = openStore(':memory:');
    stores.push(store);
    const rt = createRuntime({ instanceId: 'feeds-1', version: 't', config: defaultRuntimeConfig(), clock, store, bare: true });
    clock.advanceTo(T0 + 10);
    rt.bus.publish(spot(100_000));
    const s = parse(rt.views.feeds.snapshot());
    expect(priced(s).latest.spot?.priceUsd).toBe(100_000);
    expect(s.windowMs).toBe(30 * 60_000);
  });
});
