/**
 * The weight learner (issue 14, seed 004): pure state transitions that re-weight a strategy instance's signals from
 * settled results. No I/O, no clock, no randomness: the same inputs give the same weights.
 *
 * Trades. A buy's signal record gives each signal's signed vote v = direction × strength (only `active` readings;
 * others vote 0). The trade is pending until the window's final decision says 'traded' (a filled trade) and the
 * market resolved; then it is settled. A 'skipped' final record drops it (the FOK never filled).
 *
 * The step (every `everyTrades` settled trades, on exactly those trades):
 * 1. Per signal i: n_i = trades where v_i ≠ 0 (zero votes do not count), h_i = those whose sign(v_i) matches the
 *    winner (+1 Up, −1 Down). accuracy_i = h_i / n_i (reported only when n_i > 0).
 * 2. Evidence z_i = (2·h_i − n_i) / √n_i (the hit rate's distance from a coin flip in standard errors); the proposed
 *    move is d_i = maxStep × clamp(z_i / Z_FULL, −1, 1) with Z_FULL = 2 (a 2σ edge earns the full step).
 * 3. Only signals with n_i > 0 move (a switched-off or silent signal keeps its weight). Each move is bounded:
 *    Δ_i ∈ [lo_i, maxStep] with lo_i = max(−maxStep, min(0, minWeight − w_i)) (never below the floor, never pushed
 *    further down when already under it; never forced up).
 * 4. The total is kept: Δ_i = clamp(d_i − c, lo_i, maxStep) with the one c that makes ΣΔ_i = 0 (found by bisection
 *    on the monotone sum, then solved exactly on the unclamped set). So |Δ_i| ≤ maxStep, w_i + Δ_i ≥ minWeight (or
 *    unchanged below it), and Σ after = Σ before (≤ 1 when it was), to 1e-9. With one moving signal nothing moves.
 * Results are rounded to 1e-9 and the rounding residue is put on the moving signal with the most room.
 */
import type { LearnerState, LearningVotes, SettledTrade } from '../../lib/schemas/learning';
import { LEARNING_LIMITS } from '../../lib/schemas/learning';

export const Z_FULL = 2;
const ROUND = 1e9;

export interface StepParams {
  everyTrades: number;
  maxStep: number;
  minWeight: number;
}

export interface StepResult {
  trades: number;
  before: Record<string, number>;
  after: Record<string, number>;
  accuracy: Record<string, number>;
  /** Trades with a non-zero vote per signal. */
  counted: Record<string, number>;
  changed: boolean;
}

export function emptyLearnerState(): LearnerState {
  return { pending: [], settled: [], settledTotal: 0, steps: 0, lastUpdates: [] };
}

/** A buy's votes for a window (the latest buy of a window replaces an earlier attempt's). */
export function recordBuy(s: LearnerState, t: { windowSlug: string; atMs: number; votes: LearningVotes; outcome?: 'up' | 'down' }): LearnerState {
  const pending = s.pending.filter((p) => p.windowSlug !== t.windowSlug);
  const prev = s.pending.find((p) => p.windowSlug === t.windowSlug);
  pending.push({ windowSlug: t.windowSlug, atMs: t.atMs, votes: { ...t.votes }, ...(t.outcome ? { outcome: t.outcome } : {}), filled: prev?.filled ?? false, ...(prev?.winner ? { winner: prev.winner } : {}) });
  while (pending.length > LEARNING_LIMITS.pending) pending.shift();
  return settle({ ...s, pending });
}

/** The window's final decision: 'traded' marks the buy filled, 'skipped' drops it. */
export function recordFinal(s: LearnerState, windowSlug: string, action: 'traded' | 'skipped'): LearnerState {
  if (!s.pending.some((p) => p.windowSlug === windowSlug)) return s;
  if (action === 'skipped') return { ...s, pending: s.pending.filter((p) => p.windowSlug !== windowSlug) };
  return settle({ ...s, pending: s.pending.map((p) => (p.windowSlug === windowSlug ? { ...p, filled: true } : p)) });
}

/** The market's winner (ignored for windows without a pending buy). */
export function recordWinner(s: LearnerState, windowSlug: string, winner: 'up' | 'down'): LearnerState {
  if (!s.pending.some((p) => p.windowSlug === windowSlug)) return s;
  return settle({ ...s, pending: s.pending.map((p) => (p.windowSlug === windowSlug ? { ...p, winner } : p)) });
}

/** Move pending trades that are filled and resolved to the settled list. */
function settle(s: LearnerState): LearnerState {
  const done = s.pending.filter((p) => p.filled && p.winner !== undefined);
  if (done.length === 0) return s;
  const settled: SettledTrade[] = [...s.settled, ...done.map((p) => ({ windowSlug: p.windowSlug, votes: p.votes, winner: p.winner ?? 'up' }))];
  while (settled.length > LEARNING_LIMITS.settled) settled.shift();
  return { ...s, pending: s.pending.filter((p) => !done.includes(p)), settled, settledTotal: s.settledTotal + done.length };
}

/** Whether a step is due (enough settled trades since the last one). */
export function stepDue(s: LearnerState, everyTrades: number): boolean {
  return s.settled.length >= Math.max(1, everyTrades);
}

/** Take one step's trades off the state (the oldest `everyTrades`). */
export function takeStepTrades(s: LearnerState, everyTrades: number): { trades: SettledTrade[]; rest: LearnerState } {
  const n = Math.max(1, everyTrades);
  return { trades: s.settled.slice(0, n), rest: { ...s, settled: s.settled.slice(n), steps: s.steps + 1 } };
}

/** Hit counts per signal key over settled trades (zero votes do not count). */
export function hitCounts(trades: readonly SettledTrade[], keys: readonly string[]): { hits: Record<string, number>; counted: Record<string, number> } {
  const hits: Record<string, number> = {};
  const counted: Record<string, number> = {};
  for (const k of keys) {
    hits[k] = 0;
    counted[k] = 0;
  }
  for (const t of trades) {
    const sign = t.winner === 'up' ? 1 : -1;
    for (const k of keys) {
      const v = t.votes[k] ?? 0;
      if (v === 0 || !Number.isFinite(v)) continue;
      counted[k]!++;
      if (Math.sign(v) === sign) hits[k]!++;
    }
  }
  return { hits, counted };
}

/** One learning step over `trades` from `weights` (see the header for the rule). */
export function learningStep(weights: Readonly<Record<string, number>>, trades: readonly SettledTrade[], p: StepParams): StepResult {
  const keys = Object.keys(weights).sort();
  const before: Record<string, number> = {};
  for (const k of keys) before[k] = weights[k]!;
  const { hits, counted } = hitCounts(trades, keys);
  const accuracy: Record<string, number> = {};
  const moving = keys.filter((k) => counted[k]! > 0);
  for (const k of moving) accuracy[k] = hits[k]! / counted[k]!;
  const proposal = moving.map((k) => {
    const n = counted[k]!;
    const z = (2 * hits[k]! - n) / Math.sqrt(n);
    return p.maxStep * clamp(z / Z_FULL, -1, 1);
  });
  const lo = moving.map((k) => Math.max(-p.maxStep, Math.min(0, p.minWeight - before[k]!)));
  const hi = moving.map(() => p.maxStep);
  const delta = balancedDeltas(proposal, lo, hi);
  const after: Record<string, number> = { ...before };
  moving.forEach((k, i) => (after[k] = round(before[k]! + delta[i]!)));
  fixResidue(before, after, moving, lo, hi);
  const changed = keys.some((k) => after[k] !== before[k]);
  return { trades: trades.length, before, after, accuracy, counted, changed };
}

/** Δ_i = clamp(d_i − c, lo_i, hi_i) with Σ Δ_i = 0 (lo_i ≤ 0 ≤ hi_i, so a solution exists). */
export function balancedDeltas(d: readonly number[], lo: readonly number[], hi: readonly number[]): number[] {
  if (d.length < 2) return d.map(() => 0);
  const at = (c: number) => d.map((x, i) => clamp(x - c, lo[i]!, hi[i]!));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  let a = Math.min(...d.map((x, i) => x - hi[i]!));
  let b = Math.max(...d.map((x, i) => x - lo[i]!));
  for (let it = 0; it < 200 && b - a > 1e-15; it++) {
    const m = (a + b) / 2;
    if (sum(at(m)) > 0) a = m;
    else b = m;
  }
  let c = (a + b) / 2;
  // Exact on the unclamped set: Σ_free (d_i − c) + Σ_clamped = 0.
  const cur = at(c);
  const free = cur.map((x, i) => x > lo[i]! && x < hi[i]!);
  const nFree = free.filter(Boolean).length;
  if (nFree > 0) {
    const fixed = cur.reduce((acc, x, i) => (free[i] ? acc : acc + x), 0);
    const dFree = d.reduce((acc, x, i) => (free[i] ? acc + x : acc), 0);
    const exact = (dFree + fixed) / nFree;
    if (at(exact).every((x, i) => (x > lo[i]! && x < hi[i]!) === free[i])) c = exact;
  }
  return at(c);
}

/** Put the rounding residue (a few 1e-9) on the moving signal with the most room, so the total is kept. */
function fixResidue(before: Record<string, number>, after: Record<string, number>, moving: readonly string[], lo: readonly number[], hi: readonly number[]): void {
  if (moving.length < 2) return;
  const total = (r: Record<string, number>) => Math.round(moving.reduce((a, k) => a + r[k]!, 0) * ROUND);
  const residue = total(before) - total(after);
  if (residue === 0) return;
  let best = -1;
  let room = -Infinity;
  moving.forEach((k, i) => {
    const d = after[k]! - before[k]!;
    const r = residue > 0 ? hi[i]! - d : d - lo[i]!;
    if (r > room) {
      room = r;
      best = i;
    }
  });
  if (best >= 0 && room * ROUND >= Math.abs(residue)) after[moving[best]!] = round(after[moving[best]!]! + residue / ROUND);
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

function round(x: number): number {
  return Math.round(x * ROUND) / ROUND;
}
