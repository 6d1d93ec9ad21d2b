/**
 * SpotFeed.ingestTrade (a spot trade the recording reader located in its line, bot/replay/recording-reader.ts
 * SpotLineFrame) does what SpotFeed.ingest does with the frame's text: two feeds, one fed each way, the same ticks on
 * one simulated clock (several inside the 250 ms publish throttle, a zero price, two symbols routed by asset), end
 * with the same stores, the same published events and the same health counts. Recording lines the reader does not
 * read in place (another layout) still reach `ingest`; the test checks some were read in place, so the comparison is
 * not vacuous.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { ReferenceSet } from '../../../bot/core/reference-set';
import { SpotFeed } from '../../../bot/feeds/spot-feed';
import { parseFrameLine, SpotLineFrame } from '../../../bot/replay/recording-reader';
import { Prng } from '../../../bot/util/prng';

const T0 = 1_767_225_600_000;

function rig(multi: boolean) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  const events: unknown[] = [];
  bus.onAny((e) => events.push(e));
  const references = new ReferenceSet('btc', ['eth']);
  const feed = new SpotFeed({ url: 'ws://127.0.0.1:1/ws/btcusdt@trade', clock, bus, prng: new Prng('spot-test'), store: references.primary, references, multi });
  return { clock, feed, events, references };
}

function ticks(): { atMs: number; text: string }[] {
  const out: { atMs: number; text: string }[] = [];
  for (let i = 0; i < 40; i++) {
    const sym = i % 5 === 4 ? 'ETHUSDT' : 'BTCUSDT';
    // Every digit counts (no trailing zeros): a field cut one character short would change the price.
    const price = i === 17 ? '0.00000000' : `${sym === 'BTCUSDT' ? 95_000 + i : 3_400 + i}.${12_345_671 + i * 3}`;
    const T = T0 + i * 90;
    const text = `{"e":"trade","E":${T + 1},"s":"${sym}","t":${5_000_000_000 + i},"p":"${price}","q":"0.01000000","T":${T},"m":${i % 2 === 0}${i % 3 ? ',"M":true' : ''}}`;
    // Every 7th in another key layout: not read in place, `ingest` takes it.
    out.push({ atMs: T + 20, text: i % 7 === 3 ? text.replace('{"e":"trade",', '{ "e":"trade",') : text });
  }
  return out;
}

describe('spot feed: a trade read in its recording line = the same trade ingested as text', () => {
  for (const multi of [false, true]) {
    it(multi ? 'several assets (routed by symbol)' : 'one asset (every price to the primary store)', () => {
      const a = rig(multi);
      const b = rig(multi);
      let inPlace = 0;
      for (const { atMs, text } of ticks()) {
        a.clock.advanceTo(atMs);
        b.clock.advanceTo(atMs);
        a.feed.ingest(text);
        const f = parseFrameLine(JSON.stringify({ source: 'spot', tsRecvMs: atMs, raw: text }));
        if (typeof f === 'string') throw new Error(f);
        if (f instanceof SpotLineFrame) {
          inPlace++;
          b.feed.ingestTrade(f.spotTrade);
        } else b.feed.ingest(f.raw);
      }
      expect(inPlace).toBeGreaterThan(30);
      expect(inPlace).toBeLessThan(40);
      expect(b.events).toEqual(a.events);
      expect(a.events.length).toBeGreaterThan(5);
      for (const asset of ['btc', 'eth']) expect(b.references.add(asset).spot).toEqual(a.references.add(asset).spot);
      expect(a.references.primary.spot).toBeDefined();
      expect(b.feed.conn.health.messages).toBe(a.feed.conn.health.messages);
      expect(b.feed.conn.health.lastMsgMs).toBe(a.feed.conn.health.lastMsgMs);
    });
  }
});
