/** Same seed -> byte-identical event stream (every stream the hub publishes); a different seed -> a different one. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { startSim } from '../../../bot/sim';

async function streamHash(seed: string): Promise<{ hash: string; frames: number; kinds: Set<string> }> {
  const clock = new SimClock(1791241200000 - 45_000);
  const sim = await startSim({ clock, seed, noServers: true });
  const h = createHash('sha256');
  let frames = 0;
  const kinds = new Set<string>();
  sim.model.hub.tap((stream, text) => {
    h.update(stream).update('\n').update(text).update('\n');
    frames++;
    const m = /"event_type":"([a-z_]+)"/.exec(text);
    if (m) kinds.add(m[1]!);
  });
  // A scripted user trades every 30 s so the user stream (orders, trades, lifecycle) is part of the hash.
  let n = 0;
  sim.clock.every(30_000, 'test.user', () => {
    const m = sim.model.activeMarkets().find((x) => x.status === 'open');
    const ask = m?.book.top('Up').ask;
    if (!m || ask === undefined) return;
    sim.model.exchange.submit({
      id: `0x${(++n).toString(16).padStart(64, '0')}`,
      owner: 'key-1',
      makerAddress: '0x00000000000000000000000000000000000000bb',
      market: m,
      outcome: 'Up',
      side: 'BUY',
      ownPriceMilli: n % 3 === 0 ? ask : Math.max(10, ask - 30),
      sharesMicro: 6_000_000,
      orderType: 'GTC',
      postOnly: false,
      expiration: '0',
    });
  });
  for (let t = 0; t < 20 * 60_000; t += 100) clock.advanceBy(100);
  await sim.close();
  return { hash: h.digest('hex'), frames, kinds };
}

describe('determinism', () => {
  it('same seed gives a byte-identical stream; another seed does not', async () => {
    const a = await streamHash('seed-a');
    const b = await streamHash('seed-a');
    const c = await streamHash('seed-b');
    expect(a.frames).toBeGreaterThan(5_000);
    expect(b.hash).toBe(a.hash);
    expect(b.frames).toBe(a.frames);
    expect(c.hash).not.toBe(a.hash);
    expect(a.kinds).toContain('trade');
    for (const k of ['order', 'price_change', 'best_bid_ask', 'last_trade_price', 'book', 'market_resolved', 'new_market']) expect(a.kinds).toContain(k);
  });
});
