/**
 * The simulator's external signal sources (issue 14), so trend-window's putCallRatio and fearGreed work offline:
 * - `GET /api/v2/public/get_book_summary_by_currency?currency=BTC&kind=option`: Deribit's JSON-RPC envelope with one
 *   summary per option (3 weekly expiries × 5 strikes × put/call) whose open interest sums to a put/call ratio that
 *   drifts slowly (two sines, 90 min and 17 min, around 0.7: about 0.38–1.28).
 * - `GET /fng/?limit=N`: alternative.me's shape, N ≤ 30 daily entries (latest first), value drifting around 50 with a
 *   4 h and a 37 min sine (0–100, integer, as a string), timestamp the start of its UTC day.
 *
 * Invariants: deterministic in (seed, clock time): the phases come from the sim's seed through the seeded PRNG and
 * nothing else is random; values are smooth in time (no jumps between two polls); bodies are valid for the bot's
 * zod schemas (bot/feeds/external); served through createHttpServer, so HTTP faults (latency, status) apply with
 * the server name 'external'.
 */
import type { Clock } from '../clock';
import { Prng } from '../util/prng';
import { err, json, Router } from './http-kit';

const MIN = 60_000;
const DAY = 86_400_000;
const TAU = 2 * Math.PI;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const STRIKE_OFFSETS = [-0.2, -0.1, 0, 0.1, 0.2];

/** The slowly moving figures the server reports at a time (exported for tests and the console). */
export class ExternalSignalsModel {
  private readonly phase: number[];
  /** Per-instrument shares of the call and put open interest (fixed per seed). */
  private readonly callShares: number[];
  private readonly putShares: number[];

  constructor(seed: string | number) {
    const p = new Prng(`${String(seed)}|external-signals`);
    this.phase = Array.from({ length: 6 }, () => p.next() * TAU);
    const shares = () => {
      const w = Array.from({ length: 3 * STRIKE_OFFSETS.length }, () => 0.2 + p.next());
      const sum = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / sum);
    };
    this.callShares = shares();
    this.putShares = shares();
  }

  putCallRatio(tMs: number): number {
    const [a, b] = this.phase;
    return 0.7 * Math.exp(0.45 * Math.sin((TAU * tMs) / (90 * MIN) + a!) + 0.15 * Math.sin((TAU * tMs) / (17 * MIN) + b!));
  }

  totalOpenInterest(tMs: number): number {
    return 150_000 + 50_000 * Math.sin((TAU * tMs) / (360 * MIN) + this.phase[2]!);
  }

  fearGreed(tMs: number): number {
    const v = 50 + 35 * Math.sin((TAU * tMs) / (240 * MIN) + this.phase[3]!) + 8 * Math.sin((TAU * tMs) / (37 * MIN) + this.phase[4]!);
    return Math.max(0, Math.min(100, Math.round(v)));
  }

  /** Option summaries at tMs: open interest split so that Σ put / Σ call = putCallRatio(tMs). */
  summaries(tMs: number, spot = 100_000): { instrument_name: string; open_interest: number; volume: number; mark_price: number }[] {
    const ratio = this.putCallRatio(tMs);
    const total = this.totalOpenInterest(tMs);
    const callOi = total / (1 + ratio);
    const putOi = total - callOi;
    const out: { instrument_name: string; open_interest: number; volume: number; mark_price: number }[] = [];
    // Weekly expiries: the next three Fridays 08:00 UTC (day 0 of the epoch was a Thursday).
    const day = Math.floor(tMs / DAY);
    const firstFriday = (day + ((5 - ((day + 4) % 7) + 7) % 7 || 7)) * DAY + 8 * 3_600_000;
    let i = 0;
    for (let e = 0; e < 3; e++) {
      const d = new Date(firstFriday + e * 7 * DAY);
      const expiry = `${d.getUTCDate()}${MONTHS[d.getUTCMonth()]}${String(d.getUTCFullYear()).slice(2)}`;
      for (const off of STRIKE_OFFSETS) {
        const strike = Math.round((spot * (1 + off)) / 1000) * 1000;
        const c = callOi * this.callShares[i]!;
        const p = putOi * this.putShares[i]!;
        out.push({ instrument_name: `BTC-${expiry}-${strike}-C`, open_interest: c, volume: c * 0.02, mark_price: Math.max(0.0005, -off * 0.5 + 0.03) });
        out.push({ instrument_name: `BTC-${expiry}-${strike}-P`, open_interest: p, volume: p * 0.02, mark_price: Math.max(0.0005, off * 0.5 + 0.03) });
        i++;
      }
    }
    return out;
  }
}

function classify(v: number): string {
  if (v < 25) return 'Extreme Fear';
  if (v < 47) return 'Fear';
  if (v < 55) return 'Neutral';
  if (v < 76) return 'Greed';
  return 'Extreme Greed';
}

/** Deribit's JSON-RPC book-summary body the server answers at `nowMs` (kind 'option' or none: the options; else empty). */
export function deribitBookSummaryBody(model: ExternalSignalsModel, nowMs: number, kind: string | null = 'option'): object {
  const result = kind === 'option' || kind === null ? model.summaries(nowMs).map((s) => ({ ...s, base_currency: 'BTC', quote_currency: 'BTC', creation_timestamp: nowMs })) : [];
  return { jsonrpc: '2.0', result, usIn: nowMs * 1000, usOut: nowMs * 1000 + 150, usDiff: 150, testnet: false };
}

/** alternative.me's Fear & Greed body the server answers at `nowMs` for `?limit=` (1..30 entries, latest first). */
export function fearGreedBody(model: ExternalSignalsModel, nowMs: number, limit: number): object {
  const dayStart = Math.floor(nowMs / DAY) * DAY;
  const n = Math.min(Math.max(limit, 1), 30);
  const data = Array.from({ length: n }, (_, k) => {
    const v = model.fearGreed(nowMs - k * DAY);
    return { value: String(v), value_classification: classify(v), timestamp: String((dayStart - k * DAY) / 1000), ...(k === 0 ? { time_until_update: String(Math.round((dayStart + DAY - nowMs) / 1000)) } : {}) };
  });
  return { name: 'Fear and Greed Index', data, metadata: { error: null } };
}

/** The routes of the external-signals server over the sim's clock and seed. */
export function externalSignalsRouter(clock: Clock, seed: string | number): Router {
  const model = new ExternalSignalsModel(seed);
  return new Router()
    .add('GET', '/api/v2/public/get_book_summary_by_currency', (req) => {
      const currency = req.query.get('currency');
      if (currency !== 'BTC') return json(400, { jsonrpc: '2.0', error: { code: 10_004, message: `currency ${currency ?? '(none)'} not served by the simulator` } });
      return json(200, deribitBookSummaryBody(model, clock.nowMs(), req.query.get('kind')));
    })
    .add('GET', '/fng', (req) => {
      const raw = req.query.get('limit') ?? '1';
      const limit = Number(raw);
      if (!Number.isInteger(limit) || limit < 0) return err(400, `bad limit ${raw}`);
      return json(200, fearGreedBody(model, clock.nowMs(), limit));
    });
}
