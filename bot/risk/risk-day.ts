/**
 * RiskDay: the realised PnL of the current UTC day, the one figure the daily-loss limit and the dashboard read
 * (`realizedTodayUsd()`). It is persisted per day (store `risk_days`), so a restart continues the day's figure
 * instead of starting again from zero.
 *
 * How it counts: it watches the ledger's total realised PnL (`realizedTotalUsd`, all windows) and adds every change
 * to today's row. The first defined reading after construction, or after the source was undefined (no venue session,
 * or one not reconciled yet), is a baseline, not a change: a restored journal is never counted twice.
 *
 * Invariants: the day is the UTC date of the injected clock; a change observed at the first reading after midnight is
 * booked to the day that just ended (readings come at least every second from the triggers' tick), then a new day
 * starts at 0; every change is written before it is returned; the table keeps at most `keepDays` rows.
 */
import type { Clock } from '../clock';
import type { RiskDayRecord, RiskDayStore } from '../store';

const DAY_MS = 86_400_000;

/** UTC date `YYYY-MM-DD` of an epoch-ms instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface RiskDayOptions {
  clock: Clock;
  store: RiskDayStore;
  /** Total realised PnL of the ledger (USD); undefined while there is none to read (not running, not reconciled). */
  realizedTotalUsd: () => number | undefined;
  keepDays?: number;
}

export class RiskDay {
  private cur: RiskDayRecord;
  private lastTotal: number | undefined;
  /** 00:00 UTC of `cur.day` (ms). */
  private dayStartMs = 0;

  constructor(private readonly o: RiskDayOptions) {
    this.cur = this.load(o.clock.nowMs());
  }

  /** Realised PnL since 00:00 UTC today (USD, negative = loss). The dashboard and the daily-loss rule read this. */
  realizedTodayUsd(): number {
    this.observe();
    const now = this.o.clock.nowMs();
    // The day's bounds first (this runs on every tick and order check); the date text only when outside them.
    if ((now < this.dayStartMs || now >= this.dayStartMs + DAY_MS) && utcDay(now) !== this.cur.day) {
      this.cur = this.load(now);
      this.o.store.prune(this.o.keepDays ?? 400);
    }
    return this.cur.realizedUsd;
  }

  /** The current day's row (after reading the source). */
  snapshot(): RiskDayRecord {
    this.realizedTodayUsd();
    return { ...this.cur };
  }

  private observe(): void {
    const total = this.o.realizedTotalUsd();
    if (total === undefined || !Number.isFinite(total)) {
      this.lastTotal = undefined;
      return;
    }
    if (this.lastTotal === undefined) {
      this.lastTotal = total;
      return;
    }
    const delta = total - this.lastTotal;
    this.lastTotal = total;
    if (Math.abs(delta) < 1e-9) return;
    this.cur = { ...this.cur, realizedUsd: round6(this.cur.realizedUsd + delta), updatedMs: this.o.clock.nowMs() };
    this.o.store.save(this.cur);
  }

  private load(nowMs: number): RiskDayRecord {
    const day = utcDay(nowMs);
    this.dayStartMs = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const stored = this.o.store.get(day);
    if (stored) return stored;
    const fresh = { day, startedMs: this.dayStartMs, realizedUsd: 0, updatedMs: nowMs };
    this.o.store.save(fresh);
    return fresh;
  }
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
