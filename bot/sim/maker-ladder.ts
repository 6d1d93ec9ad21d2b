/**
 * Shape of the synthetic makers' book, calibrated to one real hour of Polymarket BTC 5m `book` snapshots
 * (samples/polymarket-btc-5m-books; figures for mids in [0.1, 0.9]): resting size at every cent from 0.01 to 0.99
 * (about 99 levels per book), a one-tick spread about 77 % of the time (2 ticks 13 %, 3+ ticks 10 %), a median of
 * about 220 shares at the touch growing to about 480 shares five ticks out and flat beyond, level sizes spread
 * log-normally (p90/p10 of about 6), and thousands of shares on the 1-5 cent bids of either token.
 *
 * All prices are unified (Up-terms) thousandths. A bid at p is a BUY Up at p; an ask at p is a BUY Down at 1000 - p.
 *
 * Invariants: pure functions of their inputs and the Prng; every ladder price is on the tick grid, inside
 * [tick, 1000 - tick], bids strictly below asks, best level first, at most `maxLevels` per side.
 */
import type { Prng } from '../util/prng';

/** Maker-chosen spread width in ticks: cumulative probabilities for 1, 2, 3, 4, 5 ticks. */
const SPREAD_CDF = [0.79, 0.92, 0.965, 0.99, 1];
/** Median shares relative to the touch, by distance (ticks) from it; flat beyond the last entry. */
const DEPTH_GROWTH = [1, 1.2, 1.45, 1.65, 1.85, 2];
/** Extra size on the BUY orders priced 1..9 cents (own terms), far from the touch: real books pile up there. */
const CHEAP_BID_BOOST = [1, 30, 8, 6, 2.7, 2.5, 2, 1.5, 1.3, 1.1];
/** Log-normal dispersion of a level's size. */
const SIZE_SIGMA = 0.75;
/** Levels nearer the touch than this keep their plain size even at extreme prices. */
const BOOST_MIN_DISTANCE = 3;
/** Near-touch levels quoted on the 0.001 grid while the tick is 0.001 (the rest stay on cents). */
export const FINE_LEVELS = 10;

export function drawSpreadTicks(prng: Prng): number {
  const u = prng.next();
  let i = 0;
  while (i < SPREAD_CDF.length - 1 && u >= SPREAD_CDF[i]!) i++;
  return i + 1;
}

/** Best bid and ask (thousandths) for a quoting centre, a tick and a spread width in ticks. */
export function touchFor(centreMilli: number, tickMilli: number, spreadTicks: number): { bid0: number; ask0: number } {
  const c = centreMilli / tickMilli;
  let bid0 = Math.floor(c - (spreadTicks - 1) / 2) * tickMilli;
  bid0 = Math.min(Math.max(bid0, tickMilli), 1000 - 2 * tickMilli);
  const ask0 = Math.min(bid0 + spreadTicks * tickMilli, 1000 - tickMilli);
  return { bid0, ask0 };
}

/** Every ladder price of one side, best first: fine steps near the touch when the tick is 0.001, then cents. */
export function ladderSide(side: 'bid' | 'ask', touchMilli: number, tickMilli: number, maxLevels: number): number[] {
  const out: number[] = [];
  const dir = side === 'bid' ? -1 : 1;
  const inRange = (p: number) => p >= tickMilli && p <= 1000 - tickMilli;
  let p = touchMilli;
  if (tickMilli === 1) {
    for (let k = 0; k < FINE_LEVELS && inRange(p) && out.length < maxLevels; k++, p += dir) out.push(p);
    // Continue on the cent grid strictly beyond the last fine level.
    p = side === 'bid' ? Math.floor(p / 10) * 10 : Math.ceil(p / 10) * 10;
    if (out.length > 0 && p === out[out.length - 1]) p += dir * 10;
  }
  for (; out.length < maxLevels && p >= 10 && p <= 990; p += dir * 10) out.push(p);
  return out;
}

/** Own-terms BUY price of a unified level (bids buy Up at p, asks buy Down at 1000 - p). */
export const ownBuyMilli = (side: 'bid' | 'ask', priceMilli: number): number => (side === 'bid' ? priceMilli : 1000 - priceMilli);

/** Median size (shares) of a level `distance` ticks from the touch whose BUY price is `ownMilli`. */
export function medianShares(touchShares: number, distance: number, ownMilli: number): number {
  const growth = DEPTH_GROWTH[Math.min(distance, DEPTH_GROWTH.length - 1)]!;
  const cents = Math.ceil(ownMilli / 10);
  const boost = distance >= BOOST_MIN_DISTANCE && cents < CHEAP_BID_BOOST.length ? CHEAP_BID_BOOST[Math.max(1, cents)]! : 1;
  return touchShares * growth * boost;
}

/** A random level size in micro-shares (whole 0.01-share lots, at least `minShares`). */
export function drawLevelMicro(prng: Prng, touchShares: number, distance: number, ownMilli: number, minShares: number): number {
  const shares = Math.max(minShares, medianShares(touchShares, distance, ownMilli) * Math.exp(SIZE_SIGMA * prng.normal()));
  return Math.round(shares * 100) * 10_000;
}
