/**
 * Alert rate limits: at most `perKindMax` alerts of one kind within `perKindWindowMs`, and at most `globalMax` of all
 * kinds within `globalWindowMs` (sliding windows over the send times). An alert over either limit is suppressed and
 * counted by kind; the next alert that passes carries the count (`SuppressionSummary`) and the count starts again.
 *
 * Invariants: pure bookkeeping over the times it is handed (the caller reads the injected Clock); the limits are
 * passed on every call, so a hot config change applies at the next alert; every history is bounded by its limit
 * (at most globalMax + 1 global and perKindMax + 1 per-kind send times are held).
 */
import type { AlertKind } from '../../../lib/schemas/events';
import type { SuppressionSummary } from './alert-payload';

export interface RateLimits {
  perKindMax: number;
  perKindWindowMs: number;
  globalMax: number;
  globalWindowMs: number;
}

export type Admission = { ok: true; summary: SuppressionSummary | null } | { ok: false; reason: 'kind_limit' | 'global_limit'; pending: number };

export class AlertRateLimiter {
  private readonly byKind = new Map<AlertKind, number[]>();
  private readonly global: number[] = [];
  private suppressed = new Map<AlertKind, number>();
  private suppressedTotal = 0;
  private suppressedSinceMs = 0;

  /** Decide for one alert at `nowMs`: admitted (recorded as sent, with the pending summary) or suppressed (counted). */
  admit(kind: AlertKind, nowMs: number, limits: RateLimits): Admission {
    const mine = this.byKind.get(kind) ?? [];
    prune(mine, nowMs - limits.perKindWindowMs, limits.perKindMax);
    prune(this.global, nowMs - limits.globalWindowMs, limits.globalMax);
    const reason = mine.length >= limits.perKindMax ? 'kind_limit' : this.global.length >= limits.globalMax ? 'global_limit' : undefined;
    if (reason) {
      if (this.suppressedTotal === 0) this.suppressedSinceMs = nowMs;
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      this.suppressedTotal++;
      this.byKind.set(kind, mine);
      return { ok: false, reason, pending: this.suppressedTotal };
    }
    mine.push(nowMs);
    this.global.push(nowMs);
    this.byKind.set(kind, mine);
    return { ok: true, summary: this.takeSummary() };
  }

  /** Suppressed alerts not yet summarised (0 when none). */
  get pending(): number {
    return this.suppressedTotal;
  }

  private takeSummary(): SuppressionSummary | null {
    if (this.suppressedTotal === 0) return null;
    const summary: SuppressionSummary = { total: this.suppressedTotal, byKind: Object.fromEntries(this.suppressed), sinceMs: this.suppressedSinceMs };
    this.suppressed = new Map();
    this.suppressedTotal = 0;
    return summary;
  }
}

/** Drop times at or before `cutoffMs`, then keep at most `max` (the newest): the list stays bounded. */
function prune(times: number[], cutoffMs: number, max: number): void {
  let drop = 0;
  while (drop < times.length && times[drop]! <= cutoffMs) drop++;
  if (times.length - drop > max) drop = times.length - max;
  if (drop > 0) times.splice(0, drop);
}
