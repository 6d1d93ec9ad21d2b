/**
 * Benchmark contract. Each `tests/bench/*.bench.ts` file exports `benchmarks: Benchmark[]`.
 * A benchmark measures a figure and a baseline IN THE SAME RUN and reports their ratio; absolute
 * times on a shared 2-core machine are noise, ratios are the signal.
 */
export interface BenchRow {
  /** Battery id or short id, e.g. 'P1', 'bus-dispatch'. */
  id: string;
  /** What was measured, e.g. 'bus dispatch (events/s)'. */
  figure: string;
  value: number;
  unit: string;
  /** The same quantity for the baseline, measured in this run (omit when there is none). */
  baseline?: number;
  baselineLabel?: string;
  /** value / baseline for rates, baseline / value for costs: > 1 means better than the baseline. */
  ratio?: number;
  /** Human-readable bar, e.g. '>= 0.5x EventEmitter'. */
  target: string;
  pass?: boolean;
  notes?: string;
}

export interface Benchmark {
  id: string;
  title: string;
  run(): Promise<BenchRow[]>;
}
