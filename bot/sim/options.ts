/**
 * startSim options and their defaults. Everything that shapes the simulated world is here so a test or the demo
 * can tune speed and load (e.g. coarser ticks for a simulated day) without touching the model.
 *
 * Invariants:
 * - No `assets`/`correlation`/`series`: one BTC walk from `price` and the BTC 5m + 15m series (the same draws as
 *   ever). Without `assets`, the series' assets are simulated with simAssetsFor's walks (BTC's from `price`).
 * - The model's asset order puts btc first when it is simulated (its walk keeps the single-asset stream); a
 *   correlation matrix given in the caller's order is reordered with it.
 * - Bad assets, series or correlation throw a RangeError naming the problem (sim-world-options.ts).
 */
import type { Clock } from '../clock';
import { DEFAULT_CROWD, type CrowdOptions } from './crowd';
import type { DialectName } from './dialect';
import { DEFAULT_FEES, type FeeParams } from './market';
import type { ModelOptions } from './model';
import { DEFAULT_PRICE_OPTIONS, type PriceModelOptions } from './price-model';
import { DEFAULT_SERIES, type SeriesSpec } from './series';
import type { SimAsset } from './sim-assets';
import type { CorrelationInput } from './correlation';
import { resolveWorld } from './sim-world-options';

export interface SimOptions {
  /** The injected clock (SimClock in tests, ScaledClock in the demo, LiveClock for a real-time sim). */
  clock: Clock;
  seed?: string | number;
  host?: string;
  /** Fixed ports per server; 0 (default) picks a free port. */
  ports?: Partial<Record<SimServerName, number>>;
  /** Window series (default: BTC 5m and 15m). Build them from a runtime's series with simSeriesFor. */
  series?: readonly SeriesSpec[];
  /** Simulated assets (default: the series' assets; simAssetsFor gives sensible walks for btc, eth, sol, xrp). */
  assets?: readonly SimAsset[];
  /** Correlation of the assets' returns: one number for every pair, or a matrix in `assets` order (default 0.8). */
  correlation?: CorrelationInput;
  /** Shared price options (timing, jumps) and BTC's walk when `assets` is not given. */
  price?: Partial<PriceModelOptions>;
  crowd?: Partial<CrowdOptions>;
  fees?: Partial<FeeParams>;
  minOrderSize?: number;
  /** How long before its open a window is listed on Gamma and accepts orders (venue: ~24 h). */
  listLeadMs?: number;
  /** How far ahead of its open a window gets a live book (makers/takers). */
  bookLeadMs?: number;
  resolutionDelayMs?: number;
  minedDelayMs?: number;
  confirmDelayMs?: number;
  initialBalanceUsd?: number;
  maxMarkets?: number;
  /** Heartbeat timeout after which a key's orders are cancelled (venue: 10 s, checked every 5 s). */
  heartbeatTimeoutMs?: number;
  /** Gamma `market.version` of every listed market: "v1" (default) or "v2" (Protocol V2 / ExchangeV3). */
  marketVersion?: 'v1' | 'v2';
  /** Do not open sockets (model only; for in-process tests and the determinism check). */
  noServers?: boolean;
  /** Wire dialect: 'real' (default; the venue's quirks, §9.9) or 'tidy' (the reference §9 examples' shapes). */
  dialect?: DialectName;
}

export type SimServerName = 'gamma' | 'clob' | 'ws' | 'polybolt' | 'rtds' | 'spot' | 'control' | 'external';

export function modelOptions(o: SimOptions): ModelOptions {
  const price = { ...DEFAULT_PRICE_OPTIONS, ...o.price };
  const series = o.series ?? DEFAULT_SERIES;
  const world = resolveWorld({ series, price, ...(o.assets ? { assets: o.assets } : {}), ...(o.correlation !== undefined ? { correlation: o.correlation } : {}) });
  return {
    seed: String(o.seed ?? 'updown-sim'),
    series,
    price,
    assets: world.assets,
    correlation: world.correlation,
    crowd: { ...DEFAULT_CROWD, ...o.crowd },
    fees: { ...DEFAULT_FEES, ...o.fees },
    minOrderSize: o.minOrderSize ?? 5,
    listLeadMs: o.listLeadMs ?? 24 * 3600_000,
    bookLeadMs: o.bookLeadMs ?? 60_000,
    resolutionDelayMs: o.resolutionDelayMs ?? 10_000,
    minedDelayMs: o.minedDelayMs ?? 2_000,
    confirmDelayMs: o.confirmDelayMs ?? 4_000,
    initialBalanceUsd: o.initialBalanceUsd ?? 1000,
    maxMarkets: o.maxMarkets ?? 2000,
    marketVersion: o.marketVersion ?? 'v1',
    dialect: o.dialect ?? 'real',
  };
}
