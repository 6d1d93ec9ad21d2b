/**
 * Replays the hand-built event sequences in tests/fixtures/strategies/*.json through the named strategy on a
 * sim clock and checks the intents of every step (places matched in order by partial object, plus counts).
 * Step fields: atSec (advance), up [bid, ask] (Up book; Down mirrored), state, event (book | tick | closed),
 * fill { purpose, size?, price?, remaining? } (fills the latest order of that purpose), cancelled { purpose },
 * expect { places?, cancels?, decisions? }.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createStrategy } from '../../../bot/strategies/registry';
import { parseClientTag, type Intent, type PlaceIntent } from '../../../bot/strategies/intents';
import type { WindowState } from '../../../bot/strategies/context';
import { World, makeMarket, places } from './world';

interface Step {
  atSec?: number;
  up?: [number, number];
  state?: WindowState;
  event?: 'book' | 'tick' | 'closed';
  fill?: { purpose: string; size?: number; price?: number; remaining?: number };
  cancelled?: { purpose: string };
  expect?: { places?: Record<string, unknown>[]; cancels?: number; decisions?: Record<string, unknown>[] };
}

interface Fixture {
  description: string;
  strategy: string;
  config: Record<string, unknown>;
  windowSec: number;
  priceToBeat?: number;
  reference?: { fromSec: number; toSec: number; from: number; to: number; jumpSec: number; jumpLenSec: number };
  steps: Step[];
}

const dir = join(__dirname, '../../fixtures/strategies');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('strategy event-sequence fixtures', () => {
  it('has fixtures', () => expect(files.length).toBeGreaterThanOrEqual(3));
  for (const file of files) {
    const fx = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture;
    it(`${file}: ${fx.description}`, () => {
      const w = new World();
      const m = w.add(makeMarket({ windowSec: fx.windowSec, priceToBeat: fx.priceToBeat }));
      const s = createStrategy(fx.strategy, fx.config);
      if (fx.reference) {
        const r = fx.reference;
        for (let sec = r.fromSec; sec <= r.toSec; sec++) {
          const k = Math.min(1, Math.max(0, (sec - r.jumpSec) / r.jumpLenSec));
          w.history.push({ tsMs: m.startMs + sec * 1000, price: (r.from + (r.to - r.from) * k) * (1 + (sec % 2 ? 5e-5 : -5e-5)) });
        }
      }
      const placed: PlaceIntent[] = [];
      const latest = (purpose: string) => [...placed].reverse().find((p) => parseClientTag(p.clientTag)!.purpose === purpose)!;
      fx.steps.forEach((st, n) => {
        if (st.atSec !== undefined) w.atSec(st.atSec);
        if (st.up) w.setUp(m, st.up[0], st.up[1]);
        if (st.state) m.state = st.state;
        const out: Intent[] = [];
        if (st.fill) {
          const p = latest(st.fill.purpose);
          const size = st.fill.size ?? p.size ?? (p.usd ?? 0) / p.price;
          out.push(...w.fill(s, p, size, st.fill.price ?? p.price, st.fill.remaining ?? 0));
        }
        if (st.cancelled) out.push(...w.cancelled(s, latest(st.cancelled.purpose).clientTag));
        if (st.event === 'book') out.push(...w.book(s, m));
        if (st.event === 'tick') out.push(...w.tick(s));
        if (st.event === 'closed') out.push(...w.send(s, { kind: 'window.closed', slug: m.slug }));
        const ps = places(out);
        placed.push(...ps);
        const e = st.expect;
        if (!e) return;
        const where = `${file} step ${n}`;
        if (e.places) {
          expect(ps.length, where).toBe(e.places.length);
          e.places.forEach((want, k) => {
            const { purpose, ...rest } = want;
            if (purpose) expect(parseClientTag(ps[k]!.clientTag)!.purpose, where).toBe(purpose);
            expect(ps[k], where).toMatchObject(rest);
          });
        }
        if (e.cancels !== undefined) expect(out.filter((i) => i.kind === 'cancel').length, where).toBe(e.cancels);
        if (e.decisions) {
          const ds = out.filter((i) => i.kind === 'decision');
          expect(ds.length, where).toBe(e.decisions.length);
          e.decisions.forEach((want, k) => expect(ds[k], where).toMatchObject({ record: want }));
        }
      });
    });
  }
});
