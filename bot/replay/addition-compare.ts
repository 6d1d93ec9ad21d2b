/**
 * Strategy additions against the strategy without them (issue 14): each comparison is a data row
 * { strategy type, addition name, params patch "with", patch "without" }, resolved against the strategy's strict
 * config schema, backtested on the same sessions in both arms (everything else equal), and judged on PnL after fees.
 *
 * - `resolveComparison`: the two arms' params (patches deep-merged over the base params). A patch naming a field the
 *   schema does not know yet gives status 'flag not in schema yet' (the flag's code has not landed), any other schema
 *   error 'invalid patch' — a row, never a throw. `defaultOn`: the strategy's defaults already equal the "with" arm;
 *   `withKey` / `withoutKey` name each arm's parsed config, so arms that are the same strategy run once.
 * - `verdictOf`: 'no effect' when both arms produced the same ledgers (every session's hash equal) or their PnL after
 *   fees differs by at most `NO_EFFECT_USD`; otherwise 'wins' / 'loses' by the sign of Δ = with − without.
 * - `offByDefaultOk`: false only for an addition that loses and is on by default (the acceptance rule: additions that
 *   lose stay off by default).
 * - `comparisonTable`: the aligned terminal table of the rows.
 *
 * Invariants: pure (no I/O); patches are never mutated; a row's figures are totals over its sessions.
 */
import { ZodError } from 'zod';
import { parseStrategyConfig } from '../strategies/registry';

export interface AdditionComparison {
  /** Strategy type (registry id), e.g. 'two-sided-maker'. */
  strategyType: string;
  addition: string;
  withPatch: Record<string, unknown>;
  withoutPatch: Record<string, unknown>;
}

export type ComparisonStatus = 'compared' | 'flag not in schema yet' | 'invalid patch' | 'failed';

/** One arm's totals over the comparison's sessions. */
export interface ArmMetrics {
  pnlUsd: number;
  feesUsd: number;
  maxDrawdownUsd: number;
  fillRatio: number;
  /** Size-weighted mean mid move 30 s after the fills, in the fills' favour (price units per share); null: no fill. */
  markout30s: number | null;
  trades: number;
  fills: number;
  /** The sessions' ledger hashes (prefixes), comma-separated, in session order. */
  ledgers: string;
}

export type Verdict = 'wins' | 'loses' | 'no effect';

export interface ComparisonRow {
  strategyType: string;
  addition: string;
  sessions: number;
  status: ComparisonStatus;
  message?: string;
  with?: ArmMetrics;
  without?: ArmMetrics;
  deltaPnlUsd?: number;
  verdict?: Verdict;
  /** Both arms produced the same ledgers on every session (the addition never changed an order). */
  identicalLedgers?: boolean;
  defaultOn?: boolean;
  offByDefaultOk: boolean;
}

export type ResolvedComparison =
  | {
      ok: true;
      withParams: Record<string, unknown>;
      withoutParams: Record<string, unknown>;
      /** Canonical JSON of each arm's parsed config: equal keys = the same strategy (replay it once). */
      withKey: string;
      withoutKey: string;
      defaultOn: boolean;
    }
  | { ok: false; status: 'flag not in schema yet' | 'invalid patch'; message: string };

/** |Δ PnL| at or below this (USD, over all sessions) is no effect. */
export const NO_EFFECT_USD = 0.01;

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `patch` deep-merged over `base` (plain objects merge key by key; anything else replaces); inputs untouched. */
export function mergePatch(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(patch)) out[k] = isPlain(v) && isPlain(out[k]) ? mergePatch(out[k], v) : structuredClone(v);
  return out;
}

/** JSON with object keys sorted (same value, same text). */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlain(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

type Parsed = { ok: true; value: unknown } | { ok: false; unknownKeys: string[]; message: string };

function tryParse(type: string, raw: Record<string, unknown>): Parsed {
  try {
    return { ok: true, value: parseStrategyConfig(type, raw) };
  } catch (e) {
    if (!(e instanceof ZodError)) return { ok: false, unknownKeys: [], message: e instanceof Error ? e.message : String(e) };
    const unknownKeys = e.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k].join('.')) : []));
    const message = e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    return { ok: false, unknownKeys, message };
  }
}

/** The arms' params over `baseParams`, or why the comparison cannot run yet. */
export function resolveComparison(c: AdditionComparison, baseParams: Record<string, unknown>): ResolvedComparison {
  const withParams = mergePatch(baseParams, c.withPatch);
  const withoutParams = mergePatch(baseParams, c.withoutPatch);
  const base = tryParse(c.strategyType, baseParams);
  const w = tryParse(c.strategyType, withParams);
  const wo = tryParse(c.strategyType, withoutParams);
  for (const p of [w, wo, base]) {
    if (p.ok) continue;
    return p.unknownKeys.length > 0
      ? { ok: false, status: 'flag not in schema yet', message: `unknown to the ${c.strategyType} schema: ${[...new Set(p.unknownKeys)].join(', ')}` }
      : { ok: false, status: 'invalid patch', message: p.message };
  }
  const key = (p: Parsed) => canonicalJson((p as { value: unknown }).value);
  return { ok: true, withParams, withoutParams, withKey: key(w), withoutKey: key(wo), defaultOn: key(base) === key(w) };
}

export function verdictOf(withArm: ArmMetrics, withoutArm: ArmMetrics): Verdict {
  if (withArm.ledgers === withoutArm.ledgers) return 'no effect';
  // Rounded to 1e-6 USD first, so that float noise in the subtraction never decides a case at the threshold.
  const d = Math.round((withArm.pnlUsd - withoutArm.pnlUsd) * 1e6) / 1e6;
  return Math.abs(d) <= NO_EFFECT_USD ? 'no effect' : d > 0 ? 'wins' : 'loses';
}

/** A compared row: Δ, verdict and the off-by-default check. */
export function comparedRow(c: AdditionComparison, sessions: number, defaultOn: boolean, withArm: ArmMetrics, withoutArm: ArmMetrics): ComparisonRow {
  const verdict = verdictOf(withArm, withoutArm);
  return {
    strategyType: c.strategyType, addition: c.addition, sessions, status: 'compared', with: withArm, without: withoutArm,
    deltaPnlUsd: withArm.pnlUsd - withoutArm.pnlUsd, verdict, identicalLedgers: withArm.ledgers === withoutArm.ledgers, defaultOn, offByDefaultOk: !(verdict === 'loses' && defaultOn),
  };
}

/** A row that did not run (schema, failure): no figures, never a failed default check. */
export function skippedRow(c: AdditionComparison, sessions: number, status: Exclude<ComparisonStatus, 'compared'>, message: string): ComparisonRow {
  return { strategyType: c.strategyType, addition: c.addition, sessions, status, message, offByDefaultOk: true };
}

const usd = (n: number | undefined) => (n === undefined ? '-' : (Math.abs(n) < 0.005 ? 0 : n).toFixed(2));
const pct = (n: number | undefined) => (n === undefined ? '-' : `${(n * 100).toFixed(1)}`);
const mo = (n: number | null | undefined) => (n === null || n === undefined ? '-' : (Math.abs(n) < 5e-5 ? 0 : n).toFixed(4));
const pair = (a: string, b: string) => `${a} / ${b}`;

/** The rows as an aligned table (with / without pairs, Δ PnL, verdict; the reason for rows that did not run). */
export function comparisonTable(rows: readonly ComparisonRow[]): string {
  const header = ['Strategy', 'Addition', 'Sessions', 'PnL with', 'PnL without', 'Δ PnL', 'Max DD w / wo', 'Fill % w / wo', 'Markout 30s w / wo', 'Trades w / wo', 'Verdict'];
  const cells = rows.map((r) => {
    const w = r.with;
    const o = r.without;
    const verdict = r.status !== 'compared' ? `${r.status}${r.message ? ` (${r.message})` : ''}` : `${r.verdict}${r.identicalLedgers ? ' (same ledgers)' : ''}${r.defaultOn ? ' [default on]' : ''}${r.offByDefaultOk ? '' : ' — LOSES AND IS ON BY DEFAULT'}`;
    return [
      r.strategyType, r.addition, String(r.sessions), usd(w?.pnlUsd), usd(o?.pnlUsd), usd(r.deltaPnlUsd),
      w && o ? pair(usd(w.maxDrawdownUsd), usd(o.maxDrawdownUsd)) : '-', w && o ? pair(pct(w.fillRatio), pct(o.fillRatio)) : '-',
      w && o ? pair(mo(w.markout30s), mo(o.markout30s)) : '-', w && o ? pair(String(w.trades), String(o.trades)) : '-', verdict,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const left = new Set([0, 1, header.length - 1]);
  const line = (cs: string[]) => cs.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}
