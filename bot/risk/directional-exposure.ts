/**
 * Directional exposure across assets (pure): how much of the book is one bet on crypto going up (or down).
 *
 * - Per asset, signed USD x_a = (cost basis + working BUY notional) on Up tokens minus the same on Down tokens: buying
 *   Down is a bet that the asset falls.
 * - Aggregate = sqrt(max(0, xᵀ C x)) with C_aa = 1 and C_ab = the estimated correlation CLIPPED INTO [0, 1]. A negative
 *   estimate (noise, for crypto pairs) must not let two bets in the same direction offset each other, so it counts as 0
 *   (independent). Caveat of the clip: opposite bets on assets whose estimate is negative are then also treated as
 *   independent rather than as one larger bet. Positive correlation with opposite directions (BTC Up + ETH Down) does
 *   offset: that is a real hedge. The max(0, ·) guards a matrix of pairwise estimates that is not positive semidefinite.
 * - Examples: a BTC Up and b ETH Up at ρ = 1 → a + b; at ρ = 0 → sqrt(a² + b²).
 * - A proposal's effect is the aggregate after adding its notional to its asset's side, next to the aggregate before.
 *
 * Invariants: no I/O, no time; an asset absent from the correlation matrix pairs with the fallback ρ (the prior).
 */
import type { CorrelationMatrix } from './correlation';

export type UpDown = 'up' | 'down';

/** One holding or working order, resolved to its asset and side. */
export interface DirectionalLeg {
  asset: string;
  outcome: UpDown;
  usd: number;
}

/** A new BUY order's effect on exposure: its window, token and notional (USD). */
export interface DirectionalEffect {
  windowSlug: string;
  tokenId: string;
  usd: number;
}

/** Signed USD per asset (Up positive, Down negative). Legs with non-finite USD are ignored. */
export type SignedUsdByAsset = Record<string, number>;

/** Asset -> signed USD, from resolved legs. */
export function signedUsdByAsset(legs: Iterable<DirectionalLeg>): SignedUsdByAsset {
  const out: SignedUsdByAsset = {};
  for (const l of legs) {
    if (!Number.isFinite(l.usd)) continue;
    out[l.asset] = (out[l.asset] ?? 0) + (l.outcome === 'up' ? l.usd : -l.usd);
  }
  return out;
}

/** A correlation estimate as the cap uses it: clipped into [0, 1] (non-finite → 1, the safe side). */
export function clipRho(rho: number): number {
  if (!Number.isFinite(rho)) return 1;
  return Math.min(1, Math.max(0, rho));
}

/** Pairwise ρ lookup over a matrix; assets not in it use the fallback. Not clipped. */
export function rhoLookup(matrix: CorrelationMatrix | undefined, fallbackRho: number): (a: string, b: string) => number {
  const index = new Map<string, number>((matrix?.assets ?? []).map((a, i) => [a, i]));
  return (a, b) => {
    if (a === b) return 1;
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined) return fallbackRho;
    return matrix!.rho[i]![j]!;
  };
}

/** sqrt(xᵀ C x) with C from rho (clipped into [0, 1]); 0 for an empty or flat book. */
export function aggregateDirectionalUsd(x: Readonly<SignedUsdByAsset>, rho: (a: string, b: string) => number): number {
  const assets = Object.keys(x).filter((a) => Number.isFinite(x[a]) && x[a] !== 0).sort();
  let q = 0;
  for (let i = 0; i < assets.length; i++) {
    const xi = x[assets[i]!]!;
    q += xi * xi;
    for (let j = i + 1; j < assets.length; j++) q += 2 * xi * x[assets[j]!]! * clipRho(rho(assets[i]!, assets[j]!));
  }
  return Math.sqrt(Math.max(0, q));
}

export interface DirectionalChange {
  beforeUsd: number;
  afterUsd: number;
  /** The ρ (clipped) used for each pair of assets with exposure after the change, with the estimate's provenance. */
  pairs: Array<{ a: string; b: string; rho: number; samples: number; isPrior: boolean }>;
}

/** Aggregate before and after, and the correlations that entered it. */
export function directionalChange(
  before: Readonly<SignedUsdByAsset>,
  after: Readonly<SignedUsdByAsset>,
  matrix: CorrelationMatrix | undefined,
  fallbackRho: number,
): DirectionalChange {
  const rho = rhoLookup(matrix, fallbackRho);
  const index = new Map<string, number>((matrix?.assets ?? []).map((a, i) => [a, i]));
  const held = Object.keys(after).filter((a) => Number.isFinite(after[a]) && after[a] !== 0).sort();
  const pairs: DirectionalChange['pairs'] = [];
  for (let i = 0; i < held.length; i++) {
    for (let j = i + 1; j < held.length; j++) {
      const a = held[i]!;
      const b = held[j]!;
      const ia = index.get(a);
      const ib = index.get(b);
      const known = matrix && ia !== undefined && ib !== undefined;
      pairs.push({ a, b, rho: clipRho(rho(a, b)), samples: known ? matrix.samples[ia]![ib]! : 0, isPrior: known ? matrix.isPrior[ia]![ib]! : true });
    }
  }
  return { beforeUsd: aggregateDirectionalUsd(before, rho), afterUsd: aggregateDirectionalUsd(after, rho), pairs };
}

/** `ρ btc/eth 0.90 (prior)`, `ρ btc/eth 0.62 (240 returns)`, `no other asset held`; at most `max` pairs listed. */
export function describePairs(pairs: DirectionalChange['pairs'], max = 6): string {
  if (pairs.length === 0) return 'no second asset held (ρ not used)';
  const shown = pairs.slice(0, max).map((p) => `ρ ${p.a}/${p.b} ${p.rho.toFixed(2)} (${p.isPrior ? 'prior' : `${p.samples} returns`})`);
  return shown.join(', ') + (pairs.length > max ? `, +${pairs.length - max} more` : '');
}

/** `btc +150.00, eth -40.00`: signed exposure per asset, for reasons and the console. */
export function describeExposure(x: Readonly<SignedUsdByAsset>): string {
  const parts = Object.keys(x).filter((a) => x[a] !== 0).sort().map((a) => `${a} ${x[a]! >= 0 ? '+' : ''}${x[a]!.toFixed(2)}`);
  return parts.length > 0 ? parts.join(', ') : 'flat';
}

/**
 * Signed exposure per asset from what is held and working, plus an optional new order. `legOf` resolves a window's
 * token to its asset and side; legs it cannot resolve are skipped and counted in `unresolved`.
 */
export function directionalUsdFromLegs(
  legs: Iterable<{ windowSlug: string; tokenId: string; usd: number }>,
  legOf: (windowSlug: string, tokenId: string) => { asset: string; outcome: UpDown } | undefined,
  extra?: DirectionalEffect,
): { byAsset: SignedUsdByAsset; unresolved: number } {
  let unresolved = 0;
  const resolved: DirectionalLeg[] = [];
  const add = (l: { windowSlug: string; tokenId: string; usd: number }) => {
    if (!(l.usd !== 0 && Number.isFinite(l.usd))) return;
    const r = legOf(l.windowSlug, l.tokenId);
    if (r) resolved.push({ ...r, usd: l.usd });
    else unresolved++;
  };
  for (const l of legs) add(l);
  if (extra) add(extra);
  return { byAsset: signedUsdByAsset(resolved), unresolved };
}
