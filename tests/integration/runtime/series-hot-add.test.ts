/**
 * Adding and removing a series while running, through the config service (issue 13): the runtime runs BTC 5m and
 * 15m; the simulator also lists ETH 5m (`sim.extraSeries`), and a maker instance for ETH waits in the config. Adding
 * `eth-300` starts its windows, its reference symbol on the same PolyBolt connection, its spot symbol on the spot
 * stream (reconnected to the combined stream) and its strategy — no restart; removing it cancels its working orders, keeps its positions until they settle, discovers no new ETH windows and
 * unsubscribes its symbol. BTC trades throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { openConfigService, type ConfigService } from '../../../bot/config';
import { PolyboltFeed } from '../../../bot/feeds';
import { createRuntime, type Runtime } from '../../../bot/runtime';
import { openStore, type Store } from '../../../bot/store';
import type { BotEvent } from '../../../lib/schemas/events';

const DAY0_MS = 1791158400_000;

async function settle(turns = 6): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setTimeout(r, 1));
}

describe('a series added and removed while running (config service, paper, embedded simulator)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'series-hot-'));
  const clock = new SimClock(DAY0_MS + 20_000);
  let store: Store;
  let svc: ConfigService;
  let rt: Runtime;
  const events: BotEvent[] = [];
  const btcSeries = [{ asset: 'btc', windowSec: 300 }, { asset: 'btc', windowSec: 900 }];
  const advance = async (ms: number, step = 500) => {
    const end = clock.nowMs() + ms;
    while (clock.nowMs() < end) {
      clock.advanceBy(Math.min(step, end - clock.nowMs()));
      await settle();
    }
  };
  const stack = () => rt.session!.stack!;
  const ethOrders = () => stack().tracker.open().filter((o) => o.windowSlug.startsWith('eth-'));
  const apply = (patch: Record<string, unknown>) => svc.apply(patch, 'operator(test)', 'series hot add/remove test', 'test');

  beforeAll(async () => {
    store = openStore(':memory:');
    svc = openConfigService({ dataDir: dir, env: { SIM_SEED: '9' }, store, nowMs: () => clock.nowMs(), guard: { hasLiveCredentials: () => false, host: '127.0.0.1', consoleTokenSet: false }, mode: 'server' });
    apply({
      series: btcSeries,
      sim: { extraSeries: [{ asset: 'eth', windowSec: 300 }] },
      strategies: [
        { id: 'maker', type: 'two-sided-maker', budgetUsd: 200, params: { asset: 'btc', windowSecs: [300] } },
        { id: 'maker-eth', type: 'two-sided-maker', budgetUsd: 200, params: { asset: 'eth', windowSecs: [300] } },
      ],
    });
    svc.pendingApplied('test'); // as at a process start
    rt = createRuntime({ instanceId: 'series-hot', version: 't', config: svc.effective(), configSource: svc, clock, store, sim: { crowd: { makerRequoteMs: 4_000, takerMeanIntervalMs: 8_000 } } });
    svc.connect((e) => rt.bus.publish(e));
    rt.bus.onAny((e) => void events.push(e));
    const starting = rt.start('test');
    for (let i = 0; i < 400 && rt.status().state === 'starting'; i++) await settle();
    expect(await starting).toBe('running');
    await advance(30_000);
  }, 60_000);

  afterAll(async () => {
    await rt?.dispose('test done');
    store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('before: only BTC is tracked; the ETH instance idles and nothing of ETH is subscribed', () => {
    expect(stack().catalog.tracked().map((d) => d.key)).toEqual(['btc-300', 'btc-900']);
    expect((stack().refFeed as PolyboltFeed).subscribed()).toEqual(['btcusd']);
    expect(stack().spotFeed.conn.url).not.toContain('ethusdt');
    expect(stack().references.get('eth')?.spot).toBeUndefined();
    expect(stack().references.get('btc')?.spot?.price).toBeGreaterThan(10_000);
    expect(events.some((e) => e.type === 'market.discovered' && e.slug.startsWith('eth-'))).toBe(false);
    expect(stack().tracker.open().some((o) => o.strategyId === 'maker')).toBe(true);
    expect(ethOrders()).toEqual([]);
  });

  it('adding eth-300 is hot: its windows, its reference on the same connection, its spot prices and its strategy start, no restart', async () => {
    const startsBefore = events.filter((e) => e.type === 'runtime.state' && e.state === 'starting').length;
    const session = stack();
    const r = apply({ series: [...btcSeries, { asset: 'eth', windowSec: 300 }] });
    expect(r.hot).toEqual(['series.eth-300']);
    expect(r.pending).toEqual([]);
    await advance(60_000);
    expect(stack()).toBe(session); // the same running session: no restart
    expect(events.filter((e) => e.type === 'runtime.state' && e.state === 'starting').length).toBe(startsBefore);
    expect(stack().catalog.tracked().map((d) => d.key)).toEqual(['btc-300', 'btc-900', 'eth-300']);
    expect((stack().refFeed as PolyboltFeed).subscribed()).toEqual(['btcusd', 'ethusd']);
    const ethRef = stack().references.get('eth')!.live.latest();
    expect(ethRef?.price).toBeGreaterThan(500); // ETH's own prices, not BTC's (~62,000)
    expect(ethRef!.price).toBeLessThan(10_000);
    // Spot: the stream now carries both symbols, and each price lands in its own asset's store.
    expect(stack().spotFeed.conn.url).toMatch(/btcusdt@trade.*ethusdt@trade/);
    const ethSpot = stack().references.get('eth')!.spot;
    expect(ethSpot?.price).toBeGreaterThan(500);
    expect(ethSpot!.price).toBeLessThan(10_000);
    expect(ethSpot!.tsMs).toBeGreaterThan(clock.nowMs() - 10_000);
    expect(stack().references.get('btc')!.spot!.price).toBeGreaterThan(10_000);
    expect(stack().references.get('btc')!.spot!.tsMs).toBeGreaterThan(clock.nowMs() - 10_000);
    expect(events.some((e) => e.type === 'spot.price' && e.symbol === 'ethusdt')).toBe(true);
    expect(events.some((e) => e.type === 'market.discovered' && e.slug.startsWith('eth-updown-5m-'))).toBe(true);
    expect(ethOrders().length).toBeGreaterThan(0); // the ETH maker quotes
  }, 60_000);

  it('removing it cancels its working orders, holds its positions to settlement, discovers nothing more of ETH', async () => {
    // Let the ETH maker get filled at least once so there is a position to hold.
    for (let i = 0; i < 40 && !stack().tracker.positions.all().some((p) => p.windowSlug.startsWith('eth-') && Math.abs(p.shares) > 0); i++) await advance(5_000);
    const held = stack().tracker.positions.all().filter((p) => p.windowSlug.startsWith('eth-') && !p.settled && Math.abs(p.shares) > 0);
    expect(held.length).toBeGreaterThan(0);
    // An ETH bid far below the touch, working at the moment of removal (the maker's own quotes come and go).
    const cur = stack().catalog.current('5m', 'eth')!;
    const placed = await stack().place({
      clientTag: `probe|${cur.window.slug}|bid|1`, strategyId: 'probe', market: stack().catalog.marketInfo(cur.window.slug, 'up')!,
      side: 'BUY', price: 0.02, size: 10, orderType: 'GTC', postOnly: true,
    });
    expect(placed.ok).toBe(true);
    await settle();
    expect(ethOrders().length).toBeGreaterThan(0);
    const r = apply({ series: btcSeries });
    expect(r.hot).toEqual(['series.eth-300']);
    const discoveredBefore = events.filter((e) => e.type === 'market.discovered' && e.slug.startsWith('eth-')).length;
    const fromEvent = events.length;
    // Cancelled by the removal itself, in the same instant (the clock does not move: no strategy requote does it).
    for (let i = 0; i < 20 && ethOrders().length > 0; i++) await settle();
    expect(ethOrders()).toEqual([]);
    await advance(2_000);
    expect(events.some((e) => e.type === 'runtime.notice' && /series removed: eth-300/.test(e.title))).toBe(true);
    expect(stack().catalog.tracked().map((d) => d.key)).toEqual(['btc-300', 'btc-900']);
    expect((stack().refFeed as PolyboltFeed).subscribed()).toEqual(['btcusd']);
    expect(stack().spotFeed.conn.url).not.toContain('ethusdt');
    // Still held, not sold: the positions stay until their windows resolve, then they settle.
    for (const p of held) expect(stack().tracker.positions.all().find((x) => x.tokenId === p.tokenId)?.shares).toBe(p.shares);
    const lastEnd = Math.max(...held.map((p) => Number(p.windowSlug.split('-').at(-1)) * 1000 + 300_000));
    await advance(lastEnd + 3 * 60_000 - clock.nowMs(), 1_000);
    for (const p of held) expect(stack().tracker.positions.all().find((x) => x.tokenId === p.tokenId)?.settled, p.windowSlug).toBe(true);
    expect(events.filter((e) => e.type === 'market.discovered' && e.slug.startsWith('eth-')).length).toBe(discoveredBefore);
    expect(ethOrders()).toEqual([]);
    // BTC trades on: the BTC maker kept sending orders after the removal, the ETH one sent none.
    const sent = events.slice(fromEvent).flatMap((e) => (e.type === 'order.sent' ? [e.clientTag.split('|')[0]] : []));
    expect(sent.filter((id) => id === 'maker').length).toBeGreaterThan(0);
    expect(sent.filter((id) => id === 'maker-eth')).toEqual([]);
  }, 120_000);
});
