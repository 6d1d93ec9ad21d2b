/**
 * Kelly sizing of a maker bid (seed 003, issue 14). A binary share bought at p that pays 1 with probability q has
 * full-Kelly stake fraction f* = (q − p) / (1 − p); the maker stakes KELLY_FRACTION × f* × bankroll USD, i.e.
 * that / p shares, capped by the quote size and the room under the position limit, rounded down to 2 decimals.
 * Invariants: no edge (q ≤ p) or a size under the market minimum gives 0 (= no quote on that side); never above
 * either cap (the risk engine still decides on top of this).
 */
import { roundShares } from '../common/market';

export function kellyFraction(q: number, p: number): number {
  if (!(p > 0) || !(p < 1)) return 0;
  return Math.max(0, (q - p) / (1 - p));
}

export interface KellySize {
  readonly fStar: number;
  /** Shares the fractional-Kelly stake buys before caps. */
  readonly kellyShares: number;
  /** Final size (0 = do not quote this side). */
  readonly shares: number;
}

export function kellyShares(
  q: number, p: number,
  c: { kellyFraction: number; kellyBankrollUsd: number; cap: number; minOrderSize: number },
): KellySize {
  const fStar = kellyFraction(q, p);
  const raw = p > 0 ? (c.kellyFraction * fStar * c.kellyBankrollUsd) / p : 0;
  const shares = roundShares(Math.max(0, Math.min(raw, c.cap)));
  return { fStar, kellyShares: raw, shares: shares >= c.minOrderSize - 1e-9 ? shares : 0 };
}
