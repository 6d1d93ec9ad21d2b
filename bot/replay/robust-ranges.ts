/**
 * Sweep results: the row a run yields, robust parameter ranges (seed 001), and the CSV / JSON exports.
 *
 * Robust ranges (seed 001's semantics): rank the runs by one metric, take the top `topFraction` (20 %) of them,
 * `floor(n × fraction)` but at least one, and report per parameter the min / max and the distinct values seen in
 * that top set. Runs that failed or whose metric is not a finite number are not ranked.
 *
 * Invariants: ranking is total and deterministic: the metric, then each tie-breaker in order, then the point index
 * (ascending), so equal scores never depend on completion order; exports carry no thread ids or timings, so the same
 * sweep exports the same bytes; CSV is RFC 4180 (fields with a comma, quote or line break are quoted).
 */
import type { GridValue } from './sweep-grid';

export type MetricValue = number | string;
export interface SweepRow {
  /** The grid point's index. */
  readonly index: number;
  readonly params: Readonly<Record<string, GridValue>>;
  /** What the task returned (empty when it failed). */
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Why the point failed; absent on success. */
  readonly error?: string;
  /** The worker thread that ran it (diagnostic; not exported). */
  readonly threadId?: number;
}

export interface RankKey {
  readonly metric: string;
  readonly higherIsBetter: boolean;
}
export interface RobustRangeOptions extends RankKey {
  /** Share of the ranked runs kept, in (0, 1]; default 0.2. */
  readonly topFraction?: number;
  /** Further keys for equal primary scores (seed 001: win rate, then EV error ascending); the index comes last. */
  readonly tieBreakers?: readonly RankKey[];
}
export interface ParamRange {
  /** Over the numeric values (null when none were numbers). */
  readonly min: number | null;
  readonly max: number | null;
  /** Distinct values in the top set: numbers ascending, then others in text order. */
  readonly values: readonly GridValue[];
}
export interface RobustRanges {
  readonly metric: string;
  readonly higherIsBetter: boolean;
  readonly topFraction: number;
  /** Runs that were ranked (no error, finite metric). */
  readonly ranked: number;
  /** Point indices of the top set, best first. */
  readonly top: readonly number[];
  readonly ranges: Readonly<Record<string, ParamRange>>;
}

export function robustRanges(rows: readonly SweepRow[], opts: RobustRangeOptions): RobustRanges {
  const topFraction = opts.topFraction ?? 0.2;
  if (!(topFraction > 0 && topFraction <= 1)) throw new Error(`topFraction must be in (0, 1] (got ${topFraction})`);
  const ranked = rankRows(rows, opts);
  const count = ranked.length === 0 ? 0 : Math.max(1, Math.floor(ranked.length * topFraction + 1e-9));
  const top = ranked.slice(0, count);
  const keys: string[] = [];
  for (const row of top) for (const k of Object.keys(row.params)) if (!keys.includes(k)) keys.push(k);
  const ranges: Record<string, ParamRange> = {};
  for (const key of keys) ranges[key] = rangeOf(top.filter((r) => Object.hasOwn(r.params, key)).map((r) => r.params[key]!));
  return { metric: opts.metric, higherIsBetter: opts.higherIsBetter, topFraction, ranked: ranked.length, top: top.map((r) => r.index), ranges };
}

/** Successful rows with a finite primary metric, best first (metric, tie-breakers, then index). */
export function rankRows(rows: readonly SweepRow[], opts: RankKey & { tieBreakers?: readonly RankKey[] }): SweepRow[] {
  const keys = [opts, ...(opts.tieBreakers ?? [])];
  const score = (r: SweepRow, k: RankKey): number => {
    const v = r.metrics[k.metric];
    return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
  };
  return rows
    .filter((r) => r.error === undefined && !Number.isNaN(score(r, opts)))
    .sort((a, b) => {
      for (const k of keys) {
        const x = score(a, k);
        const y = score(b, k);
        if (Number.isNaN(x) || Number.isNaN(y)) {
          if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
          continue;
        }
        if (x !== y) return k.higherIsBetter ? y - x : x - y;
      }
      return a.index - b.index;
    });
}

function rangeOf(values: readonly GridValue[]): ParamRange {
  const nums = [...new Set(values.filter((v): v is number => typeof v === 'number'))].sort((a, b) => a - b);
  const others = [...new Map(values.filter((v) => typeof v !== 'number').map((v) => [`${typeof v}:${String(v)}`, v])).values()].sort((a, b) =>
    String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
  );
  return { min: nums.length ? nums[0]! : null, max: nums.length ? nums[nums.length - 1]! : null, values: [...nums, ...others] };
}

/** The JSON export: every run in point order (without thread ids) and the robust ranges. */
export function sweepReport(rows: readonly SweepRow[], opts: RobustRangeOptions): { runs: SweepRow[]; robustRanges: RobustRanges } {
  const runs = [...rows]
    .sort((a, b) => a.index - b.index)
    .map((r) => ({ index: r.index, params: r.params, metrics: r.metrics, ...(r.error !== undefined ? { error: r.error } : {}) }));
  return { runs, robustRanges: robustRanges(rows, opts) };
}

/**
 * CSV of the runs in point order: `index`, the params (first-seen order), the metrics (first-seen order; one named
 * like an earlier column is headed `metric:<name>`), `error`. A cell a row lacks is empty.
 */
export function toCsv(rows: readonly SweepRow[]): string {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const params: string[] = [];
  const metrics: string[] = [];
  for (const r of sorted) {
    for (const k of Object.keys(r.params)) if (!params.includes(k)) params.push(k);
    for (const k of Object.keys(r.metrics)) if (!metrics.includes(k)) metrics.push(k);
  }
  const taken = new Set(['index', 'error', ...params]);
  const header = ['index', ...params, ...metrics.map((k) => (taken.has(k) ? `metric:${k}` : k)), 'error'];
  const lines = [header.map(csvCell).join(',')];
  for (const r of sorted) {
    const cells: unknown[] = [r.index, ...params.map((k) => r.params[k]), ...metrics.map((k) => r.metrics[k]), r.error];
    lines.push(cells.map(csvCell).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function csvCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
