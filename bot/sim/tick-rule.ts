/**
 * When a simulated market's tick is 0.01 and when it is 0.001. The venue switches to 0.001 when the price nears 0 or
 * 1 (reference §7.4: "<0.04 / >0.96"); real BTC 5m books keep cent prices up to a mid of about 0.985 (the shipped
 * sample), so the switch here is late and sticky only while the price really is at an extreme.
 *
 * Rule (probabilities in Up terms, `clean` = the makers' noise-free fair value):
 * - 0.01 -> 0.001 when clean > FINE_ENTER_HIGH (or < 1 - that) and the last change was >= TICK_DWELL_MS ago;
 * - 0.001 -> 0.01 as soon as clean is back inside [0.04, 0.96] (no dwell: a fine tick must never be shown at a
 *   displayed price inside that band — the old rule kept 0.001 for 20 s after any switch, so a fast fair move showed
 *   a 0.001 tick at mids down to 0.6);
 * - while the tick is 0.001 the makers' quoting centre is kept outside [FINE_CENTRE_LOW, FINE_CENTRE_HIGH], so the
 *   displayed mid stays strictly beyond 0.04 / 0.96 even with quote noise, any spread width and a touch level eaten.
 *
 * Invariants: pure; entries into 0.001 are at least TICK_DWELL_MS after the previous change (no flapping), and a
 * market makes at most one 0.01 -> 0.001 -> 0.01 round trip per TICK_DWELL_MS.
 */

/** Minimum time between a tick change and the next switch to 0.001. */
export const TICK_DWELL_MS = 20_000;
/** Band (Up-terms probability) inside which the tick must be 0.01. */
export const COARSE_LOW = 0.04;
export const COARSE_HIGH = 0.96;
/** The noise-free fair value must reach beyond this to switch to 0.001 (hysteresis against flapping). */
export const FINE_ENTER_HIGH = 0.97;
/** Quoting centre bounds (thousandths) while the tick is 0.001. */
export const FINE_CENTRE_HIGH = 962;
export const FINE_CENTRE_LOW = 38;

export interface TickState {
  tickMilli: number;
  tickChangedMs: number;
}

/** The tick (thousandths) the market should have now. */
export function nextTickMilli(s: TickState, cleanProb: number, nowMs: number): number {
  if (s.tickMilli === 1) return cleanProb >= COARSE_LOW && cleanProb <= COARSE_HIGH ? 10 : 1;
  const extreme = cleanProb > FINE_ENTER_HIGH || cleanProb < 1 - FINE_ENTER_HIGH;
  return extreme && nowMs - s.tickChangedMs >= TICK_DWELL_MS ? 1 : 10;
}

/** Quoting centre (thousandths) for a fair value, kept outside the coarse band while the tick is fine. */
export function quoteCentreMilli(fairProb: number, cleanProb: number, tickMilli: number): number {
  const c = fairProb * 1000;
  if (tickMilli !== 1) return c;
  return cleanProb > 0.5 ? Math.max(c, FINE_CENTRE_HIGH) : Math.min(c, FINE_CENTRE_LOW);
}
