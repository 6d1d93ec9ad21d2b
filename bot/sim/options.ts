/**
 * startSim options and their defaults. Everything that shapes the simulated world is here so a test or the demo
 * can tune speed and load (e.g. coarser ticks for a simulated day) without touching the model.
 */
import type { Clock } from '../clock';
import { DEFAULT_CROWD, type CrowdOptions } from './crowd';
import type { DialectName } from './dialect';
import { DEFAULT_FEES, type FeeParams } from './market';
import type { ModelOptions } from './model';
import { DEFAULT_PRICE_OPTIONS, type PriceModelOptions } from './price-model';
import { DEFAULT_SERIES, type SeriesSpec } from './series';

export interface SimOptions {
  /** The injected clock (SimClock in tests, ScaledClock in the demo, LiveClock for a real-time sim). */
  clock: Clock;
  seed?: string | number;
  host?: string;
  /** Fixed ports per server; 0 (default) picks a free port. */
  ports?: Partial<Record<SimServerName, number>>;
  series?: readonly SeriesSpec[];
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

export type SimServerName = 'gamma' | 'clob' | 'ws' | 'polybolt' | 'rtds' | 'spot' | 'control';

export function modelOptions(o: SimOptions): ModelOptions {
  return {
    seed: String(o.seed ?? 'updown-sim'),
    series: o.series ?? DEFAULT_SERIES,
    price: { ...DEFAULT_PRICE_OPTIONS, ...o.price },
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
