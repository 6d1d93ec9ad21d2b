/**
 * The reference store's per-second series (bot/core/reference-store.ts) keeps at most `maxSamples` samples, trimming
 * in batches: every read (all, tail, latest, atOrBefore, mean, twapAt) must answer exactly as a series trimmed to the
 * bound on every sample would, over random streams with same-second updates and out-of-order points.
 */
import { describe, expect, it } from 'vitest';
import { type PriceSample, ReferenceStore } from '../../../bot/core/reference-store';
import { Prng } from '../../../bot/util/prng';

/** The naive model: trimmed to `max` on every add. */
class Model {
  buf: PriceSample[] = [];
  dropped = 0;
  constructor(private readonly max: number) {}
  add(tsMs: number, price: number): void {
    const last = this.buf.at(-1);
    if (last && tsMs < last.tsMs) {
      this.dropped++;
      return;
    }
    if (last && Math.floor(last.tsMs / 1000) === Math.floor(tsMs / 1000)) this.buf[this.buf.length - 1] = { tsMs, price };
    else this.buf.push({ tsMs, price });
    while (this.buf.length > this.max) this.buf.shift();
  }
}

describe('reference store series', () => {
  for (const max of [1, 5, 37]) {
    it(`answers every read as a series trimmed on every sample would (max ${max})`, () => {
      const prng = new Prng(`ref-series-${max}`);
      const store = new ReferenceStore(max);
      const model = new Model(max);
      let t = 1_767_225_600_000;
      for (let i = 0; i < 3_000; i++) {
        const r = prng.next();
        const ts = r < 0.05 ? t - Math.floor(prng.next() * 5_000) : (t += r < 0.3 ? 200 : 1_000);
        const price = 95_000 + Math.round(prng.next() * 1_000);
        store.addLive(ts, price);
        model.add(ts, price);
        if (i % 7 !== 0) continue;
        expect(store.live.all()).toEqual(model.buf);
        expect(store.live.tail(3)).toEqual(model.buf.slice(-3));
        expect(store.live.tail(1_000)).toEqual(model.buf);
        expect(store.live.latest()).toEqual(model.buf.at(-1));
        const q = t - Math.floor(prng.next() * (max + 5) * 1_000);
        const at = [...model.buf].reverse().find((s) => s.tsMs <= q);
        expect(store.live.atOrBefore(q, 1_500)).toEqual(at && q - at.tsMs <= 1_500 ? at : undefined);
        const inWindow = model.buf.filter((s) => s.tsMs > q - 60_000 && s.tsMs <= q);
        const mean = inWindow.length ? inWindow.reduce((a, s) => a + s.price, 0) / inWindow.length : undefined;
        expect(store.live.mean(q - 60_000, q)).toBe(mean);
        expect(store.twapAt(q)).toEqual(mean === undefined ? undefined : { price: mean, source: 'live-mean' });
      }
      expect(store.live.dropped).toBe(model.dropped);
      expect(model.dropped).toBeGreaterThan(50);
    });
  }
});
