/**
 * VenueClock (bot/core/venue-clock.ts): the offset measured from `GET /time` (whole seconds), the noise threshold
 * (|offset| <= 1 s ignored), its sign (venue ahead = positive, our reading moves forward), the local/venue
 * conversions, timers armed in venue time, and a reading that never goes backwards.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../../bot/clock';
import { VENUE_OFFSET_NOISE_MS, VenueClock } from '../../../bot/core';

const T0 = 1_791_241_800_000; // a whole second

/** What `GET /time` answers when the venue's clock is `skewMs` ahead of ours and it reads it at our `atMs`. */
const venueSecAt = (atMs: number, skewMs: number) => Math.floor((atMs + skewMs) / 1000);

describe('VenueClock: measuring the offset', () => {
  it('estimates a skew to within half a second plus half the round trip, with the sign of venue minus ours', () => {
    for (const skewMs of [-90_000, -5_000, -1_700, 1_700, 5_000, 90_000]) {
      for (const phaseMs of [0, 130, 499, 500, 501, 999]) {
        for (const rttMs of [0, 80, 400]) {
          const sent = T0 + phaseMs;
          const recv = sent + rttMs;
          // The venue reads its clock at some moment of the round trip: try both ends.
          for (const readAt of [sent, recv]) {
            const vc = new VenueClock(new SimClock(recv));
            const applied = vc.measure(venueSecAt(readAt, skewMs), sent, recv);
            expect(Math.abs(vc.measuredMs! - skewMs)).toBeLessThanOrEqual(500 + rttMs / 2);
            // Beyond the noise threshold plus the measurement error the offset is applied with the skew's sign.
            if (Math.abs(skewMs) > VENUE_OFFSET_NOISE_MS + 500 + rttMs / 2) expect(Math.sign(applied)).toBe(Math.sign(skewMs));
          }
        }
      }
    }
  });

  it('ignores offsets of at most 1 s in either direction (GET /time has one-second resolution) and applies larger ones', () => {
    expect(VENUE_OFFSET_NOISE_MS).toBe(1_000);
    const V = 1_791_241_800; // venue seconds
    // measured = V*1000 + 500 - (sent + recv) / 2: pick the midpoint that yields the wanted measurement.
    const at = (measured: number) => {
      const mid = V * 1000 + 500 - measured;
      const vc = new VenueClock(new SimClock(mid));
      return { vc, applied: vc.measure(V, mid, mid) };
    };
    for (const m of [0, 1, 999, 1_000, -1, -999, -1_000]) {
      const { vc, applied } = at(m);
      expect(applied, `measured ${m}`).toBe(0);
      expect(vc.offsetMs).toBe(0);
      expect(vc.measuredMs).toBe(m); // the raw measurement is kept for diagnostics
    }
    for (const m of [1_001, 1_500, -1_001, -1_500]) {
      const { vc, applied } = at(m);
      expect(applied, `measured ${m}`).toBe(m);
      expect(vc.offsetMs).toBe(m);
    }
  });

  it('has no offset and no measurement before measure() is called', () => {
    const vc = new VenueClock(new SimClock(T0));
    expect(vc.offsetMs).toBe(0);
    expect(vc.measuredMs).toBeUndefined();
    expect(vc.nowMs()).toBe(T0);
  });

  it('a later measurement at or below the threshold resets the offset to zero', () => {
    const base = new SimClock(T0);
    const vc = new VenueClock(base);
    expect(vc.measure(venueSecAt(T0, 5_000), T0, T0)).toBeGreaterThan(VENUE_OFFSET_NOISE_MS);
    expect(vc.measure(venueSecAt(T0, 0), T0, T0)).toBe(0);
    expect(vc.offsetMs).toBe(0);
  });
});

describe('VenueClock: reading and converting', () => {
  it('a venue ahead of us moves our reading forward; a venue behind us moves it back', () => {
    const ahead = new VenueClock(new SimClock(T0));
    ahead.measure(venueSecAt(T0, 5_000), T0, T0);
    expect(ahead.nowMs()).toBe(T0 + ahead.offsetMs);
    expect(ahead.nowMs()).toBeGreaterThan(T0 + 4_000);

    const behind = new VenueClock(new SimClock(T0));
    behind.measure(venueSecAt(T0, -5_000), T0, T0);
    expect(behind.nowMs()).toBe(T0 + behind.offsetMs);
    expect(behind.nowMs()).toBeLessThan(T0 - 4_000);
  });

  it('toLocalMs and toVenueMs are inverse and differ by exactly the applied offset', () => {
    for (const skew of [-90_000, -2_000, 0, 2_000, 90_000]) {
      const vc = new VenueClock(new SimClock(T0));
      vc.measure(venueSecAt(T0, skew), T0, T0);
      for (const t of [T0, T0 + 300_000, T0 - 1, 0]) {
        expect(vc.toVenueMs(t) - t).toBe(vc.offsetMs);
        expect(vc.toLocalMs(vc.toVenueMs(t))).toBe(t);
        expect(vc.toVenueMs(vc.toLocalMs(t))).toBe(t);
      }
    }
  });

  it('passes the base clock kind through', () => {
    expect(new VenueClock(new SimClock(T0)).kind).toBe('sim');
  });

  it('at() fires when the venue clock reaches the due time (a window boundary in venue time)', () => {
    for (const skew of [-7_000, 7_000]) {
      const base = new SimClock(T0);
      const vc = new VenueClock(base);
      vc.measure(venueSecAt(T0, skew), T0, T0);
      const boundaryVenueMs = Math.ceil(vc.nowMs() / 300_000) * 300_000;
      let firedAtVenueMs: number | undefined;
      vc.at(boundaryVenueMs, 'boundary', () => (firedAtVenueMs = vc.nowMs()));
      base.advanceTo(vc.toLocalMs(boundaryVenueMs) - 1);
      expect(firedAtVenueMs).toBeUndefined();
      base.advanceBy(1);
      expect(firedAtVenueMs).toBe(boundaryVenueMs);
    }
  });

  it('after() and every() are plain delays on the base clock', () => {
    const base = new SimClock(T0);
    const vc = new VenueClock(base);
    vc.measure(venueSecAt(T0, 60_000), T0, T0);
    const fired: number[] = [];
    vc.after(1_000, 'once', () => fired.push(base.nowMs() - T0));
    const stop = vc.every(2_000, 'tick', () => fired.push(base.nowMs() - T0));
    base.advanceBy(4_500);
    stop();
    base.advanceBy(10_000);
    expect(fired).toEqual([1_000, 2_000, 4_000]);
  });

  it('never reads backwards when a later measurement is smaller: it holds until the base catches up', () => {
    const base = new SimClock(T0);
    const vc = new VenueClock(base);
    vc.measure(venueSecAt(T0, 10_000), T0, T0);
    const high = vc.nowMs();
    vc.measure(venueSecAt(T0, 3_000), T0, T0);
    const drop = high - (T0 + vc.offsetMs);
    expect(drop).toBeGreaterThan(5_000);
    expect(vc.nowMs()).toBe(high);
    base.advanceBy(drop - 1);
    expect(vc.nowMs()).toBe(high);
    base.advanceBy(2);
    expect(vc.nowMs()).toBe(high + 1);
  });
});
