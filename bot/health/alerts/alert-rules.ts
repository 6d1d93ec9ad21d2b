/**
 * The threshold rules of the alerts webhook. Each is edge-triggered: it fires once when its condition starts and is
 * re-armed only when the condition has clearly ended (hysteresis), so a value sitting on the threshold does not
 * alert over and over.
 *
 *   rejection burst   ≥ count orders rejected by the venue within windowMs           re-armed below count
 *   daily loss        today's realised loss ≥ warnPct % of risk.maxDailyLossUsd      re-armed below 90 % of that
 *                                                                                    threshold, or on a new UTC day
 *   balance drop      balance ≤ (1 − dropPct %) × its high since the bot started     re-armed when back within
 *                                                                                    dropPct / 2 % of the high
 *
 * Invariants: pure state over the values and times handed in (no clock, no I/O); thresholds are arguments of every
 * call (hot config); the rejection history holds at most `count` times.
 */
import { parseSlug } from '../../markets';
import type { AlertDraft } from './alert-payload';

const DAILY_LOSS_REARM = 0.9;

/** `btc-updown-5m-1791158400` -> `btc-5m`. */
export function seriesOfSlug(slug: string): string | undefined {
  const w = parseSlug(slug);
  return w ? `${w.asset}-${w.kind}` : undefined;
}

export interface Rejection {
  clientTag: string;
  windowSlug?: string;
  reason?: string;
}

export class RejectionBurstRule {
  private readonly times: number[] = [];
  private armed = true;

  /** One order rejected by the venue: an alert when this makes the burst. */
  onRejected(nowMs: number, r: Rejection, count: number, windowMs: number): AlertDraft | undefined {
    this.times.push(nowMs);
    this.prune(nowMs, count, windowMs);
    if (!this.armed || this.times.length < count) return undefined;
    this.armed = false;
    const n = this.times.length;
    const series = r.windowSlug ? seriesOfSlug(r.windowSlug) : undefined;
    return {
      kind: 'rejection_burst',
      severity: 'warn',
      title: `${n} orders rejected within ${Math.round(windowMs / 1000)} s`,
      message: `the venue rejected ${n} orders in a row of ${Math.round(windowMs / 1000)} s (limit ${count}); last: ${r.clientTag}${r.reason ? `: ${r.reason.slice(0, 160)}` : ''}`,
      ...(series ? { series } : {}),
      ...(r.windowSlug ? { market: r.windowSlug } : {}),
    };
  }

  /** Time passes: the burst ends once fewer than `count` rejections are left in the window. */
  tick(nowMs: number, count: number, windowMs: number): void {
    this.prune(nowMs, count, windowMs);
  }

  reset(): void {
    this.times.length = 0;
    this.armed = true;
  }

  private prune(nowMs: number, count: number, windowMs: number): void {
    while (this.times.length > 0 && this.times[0]! <= nowMs - windowMs) this.times.shift();
    if (this.times.length > count) this.times.splice(0, this.times.length - count);
    if (this.times.length < count) this.armed = true;
  }
}

export class DailyLossRule {
  private firedDay: string | undefined;

  /**
   * Today's realised PnL (`realizedTodayUsd`, negative = loss) against the limit: an alert when the loss reaches
   * warnPct % of it. `day` is the UTC date the figure belongs to (a new day re-arms).
   */
  check(day: string, realizedTodayUsd: number, maxDailyLossUsd: number, warnPct: number): AlertDraft | undefined {
    if (!(maxDailyLossUsd > 0) || !Number.isFinite(realizedTodayUsd)) return undefined;
    const loss = Math.max(0, -realizedTodayUsd);
    const threshold = (warnPct / 100) * maxDailyLossUsd;
    if (this.firedDay !== undefined && (this.firedDay !== day || loss < threshold * DAILY_LOSS_REARM)) this.firedDay = undefined;
    if (this.firedDay !== undefined || loss < threshold - 1e-9) return undefined;
    this.firedDay = day;
    const pct = (loss / maxDailyLossUsd) * 100;
    return {
      kind: 'daily_loss',
      severity: pct >= 100 ? 'danger' : 'warn',
      title: `daily loss at ${pct.toFixed(0)} % of the limit`,
      message: `realised loss today ${loss.toFixed(2)} USD of the ${maxDailyLossUsd.toFixed(2)} USD daily limit (alert at ${warnPct} %); at the limit the kill switch halts trading`,
    };
  }

  reset(): void {
    this.firedDay = undefined;
  }
}

export type BalanceSource = 'venue_balance' | 'paper_equity';

export class BalanceDropRule {
  private highUsd: number | undefined;
  private armed = true;

  /** The high since the bot started (undefined before the first reading). */
  get high(): number | undefined {
    return this.highUsd;
  }

  /** One balance reading: an alert when it is dropPct % or more below the session high. */
  observe(balanceUsd: number, dropPct: number, source: BalanceSource): AlertDraft | undefined {
    if (!Number.isFinite(balanceUsd)) return undefined;
    if (this.highUsd === undefined || balanceUsd > this.highUsd) this.highUsd = balanceUsd;
    const high = this.highUsd;
    if (!(high > 0)) return undefined;
    const fell = ((high - balanceUsd) / high) * 100;
    if (!this.armed) {
      if (fell < dropPct / 2) this.armed = true;
      return undefined;
    }
    if (fell < dropPct - 1e-9) return undefined;
    this.armed = false;
    const what = source === 'paper_equity' ? 'paper equity' : 'balance';
    return {
      kind: 'balance_drop',
      severity: 'danger',
      title: `${what} ${fell.toFixed(1)} % below its session high`,
      message: `${what} ${balanceUsd.toFixed(2)} USD vs a high of ${high.toFixed(2)} USD since the bot started (alert at ${dropPct} %)${source === 'paper_equity' ? '; paper mode has no venue balance: paper equity = alerts.paperCapitalUsd + realised PnL + open positions at the best bid' : ''}`,
    };
  }

  /** A new start: a new session high. */
  reset(): void {
    this.highUsd = undefined;
    this.armed = true;
  }
}
