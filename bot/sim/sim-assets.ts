/**
 * Simulated assets: code, display name, start price, volatility and price precision of each price walk, with the
 * defaults for btc, eth, sol and xrp, and the zod schema that checks a caller's list (options edge).
 *
 * Invariants:
 * - BTC's defaults equal DEFAULT_PRICE_OPTIONS (62,400, 50 % vol, cents), so passing `simAssetsFor(['btc', ...])`
 *   keeps BTC's walk exactly as the single-asset simulator draws it.
 * - Codes are lower-case alphanumerics (they make the symbols: `ethusd`, `eth/usd`, `ethusdt`); no duplicates.
 * - `decimals` is the precision of spot and reference prices: fine enough that a one-step move is not rounded away.
 */
import { z } from 'zod';
import { simAssetName } from './series';

export interface SimAsset {
  /** Lower-case code: `btc`, `eth`, ... (symbols `ethusd`, `eth/usd`, `ethusdt`). */
  asset: string;
  /** Display name in titles and hourly slugs: "Ethereum". */
  name: string;
  startPrice: number;
  /** Annualised volatility of log returns (0.5 = 50 %). */
  annualVol: number;
  /** Decimal places of spot and reference prices (default 2). */
  decimals?: number;
  /** Jumps per hour (default: the shared price option). */
  jumpsPerHour?: number;
  /** Std dev of a jump's log return (default: the shared price option). */
  jumpSigma?: number;
}

const KNOWN: Readonly<Record<string, Omit<SimAsset, 'asset' | 'name'>>> = {
  btc: { startPrice: 62_400, annualVol: 0.5, decimals: 2 },
  eth: { startPrice: 2_450, annualVol: 0.65, decimals: 2 },
  sol: { startPrice: 145, annualVol: 0.85, decimals: 4 },
  xrp: { startPrice: 2.35, annualVol: 0.8, decimals: 5 },
};

/** Generic walk for an asset without defaults: a $100 coin with 80 % vol. */
const GENERIC: Omit<SimAsset, 'asset' | 'name'> = { startPrice: 100, annualVol: 0.8, decimals: 4 };

export const AssetCode = z.string().regex(/^[a-z0-9]{2,10}$/, 'asset code must be 2-10 lower-case letters or digits (e.g. "eth")');

/** Sensible walks for the given asset codes (btc, eth, sol, xrp have their own; others a generic $100 coin). */
export function simAssetsFor(assets: readonly string[]): SimAsset[] {
  return assets.map((a) => {
    AssetCode.parse(a);
    return { asset: a, name: simAssetName(a), ...(KNOWN[a] ?? GENERIC) };
  });
}

export const SimAssetSchema = z.strictObject({
  asset: AssetCode,
  name: z.string().min(1).max(40),
  startPrice: z.number().positive().finite(),
  annualVol: z.number().positive().max(10),
  decimals: z.number().int().min(0).max(8).optional(),
  jumpsPerHour: z.number().min(0).max(3600).optional(),
  jumpSigma: z.number().min(0).max(1).optional(),
});

/** Check a caller's asset list; throws a RangeError naming the first problem. */
export function checkAssets(list: readonly SimAsset[]): SimAsset[] {
  const parsed = z.array(SimAssetSchema).min(1, 'assets must list at least one asset').safeParse(list);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new RangeError(`invalid assets${i.path.length ? ` [${i.path.join('.')}]` : ''}: ${i.message}`);
  }
  const seen = new Set<string>();
  for (const a of parsed.data) {
    if (seen.has(a.asset)) throw new RangeError(`invalid assets: ${a.asset} is listed twice`);
    seen.add(a.asset);
  }
  return parsed.data;
}
