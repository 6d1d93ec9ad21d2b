/**
 * VenueClock: our clock seen through the venue's. `GET /time` is measured once per start (VenueSession) and the
 * offset (venue minus ours) is applied to everything the venue judges by its own clock: L2 and L1 timestamps, the
 * order's signed timestamp and GTD expiration, and window timing (which window is current, when it closes, how many
 * seconds are left). Local facts (feed ages, receive times, rate-limit buckets) stay on the plain clock.
 *
 * Invariants: nowMs() = base + offset and never decreases (a later, smaller offset holds the time until the base
 * catches up); timers are scheduled on the base clock at the venue due time minus the offset of the moment they are
 * armed (the offset is set before anything schedules on this clock, so in practice once); offsets of 1 s or less are
 * ignored (`GET /time` has one-second resolution, the measurement is good to about ±0.5 s).
 */
import type { CancelTimer, Clock } from '../clock';

/** Offsets at or below this are measurement noise (`GET /time` is whole seconds). */
export const VENUE_OFFSET_NOISE_MS = 1_000;

export class VenueClock implements Clock {
  private offset = 0;
  private last = -Infinity;
  /** Measured offset before the noise threshold (undefined: not measured). */
  measuredMs: number | undefined;

  constructor(private readonly base: Clock) {}

  get kind(): Clock['kind'] {
    return this.base.kind;
  }

  /** Venue clock minus ours (ms) as applied. */
  get offsetMs(): number {
    return this.offset;
  }

  /** Record a measurement of the venue's clock: `venueSec` from `GET /time`, read between `sentMs` and `recvMs`. */
  measure(venueSec: number, sentMs: number, recvMs: number): number {
    const measured = venueSec * 1000 + 500 - (sentMs + recvMs) / 2;
    this.measuredMs = measured;
    this.offset = Math.abs(measured) > VENUE_OFFSET_NOISE_MS ? Math.round(measured) : 0;
    return this.offset;
  }

  nowMs(): number {
    const t = this.base.nowMs() + this.offset;
    if (t > this.last) this.last = t;
    return this.last;
  }

  /** Our clock's reading for a venue time (e.g. a window boundary). */
  toLocalMs(venueMs: number): number {
    return venueMs - this.offset;
  }

  /** The venue's clock for one of our times (e.g. a strategy's wanted GTD expiry). */
  toVenueMs(localMs: number): number {
    return localMs + this.offset;
  }

  at(dueMs: number, name: string, fn: () => void): CancelTimer {
    return this.base.at(this.toLocalMs(dueMs), name, fn);
  }

  after(delayMs: number, name: string, fn: () => void): CancelTimer {
    return this.base.after(delayMs, name, fn);
  }

  every(periodMs: number, name: string, fn: () => void): CancelTimer {
    return this.base.every(periodMs, name, fn);
  }
}
