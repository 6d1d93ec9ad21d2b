/**
 * The calibration page's data: the sweep result GET /api/sweeps/<id> carries once done (zod-parsed at the edge:
 * runs `{ index, params, metrics, error? }` and the robust ranges), the grid form's text parsed into the request's
 * grid, and the one renderer of metric values the table, the heatmap and the e2e spec share.
 *
 * Invariants: a metric that is not a finite number (JSON null for NaN, a string) renders as "—" and sorts last;
 * grid values parse as numbers when they look like numbers, true/false as booleans, else as trimmed text.
 */
import { z } from 'zod';
import { jobViewSchema } from '../../lib/schemas/replay-api';

const gridValueSchema = z.union([z.number(), z.string(), z.boolean()]);
export type GridValue = z.infer<typeof gridValueSchema>;

export const sweepRunSchema = z.object({
  index: z.number().int(),
  params: z.record(z.string(), gridValueSchema),
  metrics: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  error: z.string().optional(),
});
export type SweepRun = z.infer<typeof sweepRunSchema>;

export const sweepResultSchema = z.object({
  metric: z.string().optional(),
  runs: z.array(sweepRunSchema),
  robustRanges: z.object({
    metric: z.string(),
    higherIsBetter: z.boolean().optional(),
    topFraction: z.number().optional(),
    ranked: z.number().optional(),
    top: z.array(z.number()),
    ranges: z.record(z.string(), z.object({ min: z.number().nullable(), max: z.number().nullable(), values: z.array(gridValueSchema) })),
  }),
});
export type SweepResult = z.infer<typeof sweepResultSchema>;

/** A job as GET /api/sweeps/<id> answers it, with the result parsed when present. */
export const sweepJobSchema = jobViewSchema.extend({ result: sweepResultSchema.optional() });
export type SweepJob = z.infer<typeof sweepJobSchema>;

/** Metrics the form offers to rank by. */
export const rankMetrics = ['pnl_usd', 'win_rate', 'max_drawdown', 'trades'] as const;
export type RankMetric = (typeof rankMetrics)[number];

/** The table's metric columns, in order. */
export const metricColumns = ['trades', 'win_rate', 'ev_error', 'max_drawdown', 'trades_per_hour', 'pnl_usd'] as const;

/** Lower is better for these (the heatmap's colour scale flips). */
export const lowerIsBetter: ReadonlySet<string> = new Set(['max_drawdown', 'ev_error_abs', 'fees_usd']);

export function numeric(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** trades: integer; win_rate: percent with 1 dp; USD and rates: 2 dp; ev_error: 3 dp; not a number: "—". */
export function formatMetric(key: string, v: unknown): string {
  const n = numeric(v);
  if (n === null) return '—';
  if (key === 'trades') return String(Math.round(n));
  if (key === 'win_rate') return `${(n * 100).toFixed(1)}%`;
  if (key === 'ev_error') return n.toFixed(3);
  return n.toFixed(2);
}

export function formatParam(v: GridValue | undefined): string {
  return v === undefined ? '—' : String(v);
}

/** "0.55, 0.6" → [0.55, 0.6]; empty items dropped. */
export function parseValues(text: string): GridValue[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => (s === 'true' ? true : s === 'false' ? false : /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s) ? Number(s) : s));
}

export interface GridRow {
  key: string;
  values: string;
}

/** The form's rows as a request grid; rows without a key are skipped; an error names the first bad row. */
export function gridOf(rows: readonly GridRow[]): { grid: Record<string, GridValue[]> } | { error: string } {
  const grid: Record<string, GridValue[]> = {};
  for (const [i, r] of rows.entries()) {
    const key = r.key.trim();
    if (!key) continue;
    if (Object.hasOwn(grid, key)) return { error: `row ${i + 1}: ${key} is given twice` };
    const values = parseValues(r.values);
    if (values.length === 0) return { error: `row ${i + 1}: give ${key} at least one value` };
    grid[key] = values;
  }
  if (Object.keys(grid).length === 0) return { error: 'give at least one parameter' };
  return { grid };
}

/** Parameter keys in first-seen order over the runs. */
export function paramKeys(runs: readonly SweepRun[]): string[] {
  const keys: string[] = [];
  for (const r of runs) for (const k of Object.keys(r.params)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

/** Distinct values of a parameter over the runs, numbers ascending then others in text order. */
export function axisValues(runs: readonly SweepRun[], key: string): GridValue[] {
  const seen = new Map<string, GridValue>();
  for (const r of runs) if (Object.hasOwn(r.params, key)) seen.set(`${typeof r.params[key]}:${String(r.params[key])}`, r.params[key]!);
  return [...seen.values()].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : typeof a === 'number' ? -1 : typeof b === 'number' ? 1 : String(a).localeCompare(String(b))));
}
