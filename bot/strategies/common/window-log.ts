/**
 * WindowLog: per-window "why" bookkeeping behind the one final decision record each strategy emits when a
 * window closes ('traded' with what was done, or 'skipped' with the last blocking reason).
 *
 * Invariants: at most one final record per window (`finalize` is idempotent); bounded (windows are
 * forgotten at finalize, and at most `maxWindows` are kept).
 */
import type { DecisionRecord } from '../../../lib/schemas/events/strategy';
import type { MarketView, StrategyContext } from '../context';
import type { DecisionIntent } from '../intents';

interface Entry {
  traded: boolean;
  tradedReason?: string;
  lastSkip?: string;
  details: Record<string, number | string | boolean>;
}

export class WindowLog {
  private readonly windows = new Map<string, Entry>();
  private readonly finalized = new Set<string>();

  constructor(
    private readonly strategyType: string,
    private readonly maxWindows = 64,
  ) {}

  private entry(slug: string): Entry {
    let e = this.windows.get(slug);
    if (!e) {
      e = { traded: false, details: {} };
      this.windows.set(slug, e);
      if (this.windows.size > this.maxWindows) this.windows.delete(this.windows.keys().next().value!);
    }
    return e;
  }

  skip(slug: string, reason: string): void {
    this.entry(slug).lastSkip = reason;
  }

  traded(slug: string, reason: string): void {
    const e = this.entry(slug);
    e.traded = true;
    e.tradedReason ??= reason;
  }

  detail(slug: string, key: string, value: number | string | boolean): void {
    this.entry(slug).details[key] = value;
  }

  /** Drop a window without a record (used when the strategy was disabled and did nothing there). */
  discard(slug: string): void {
    this.windows.delete(slug);
  }

  /**
   * Final record unless the window is outside the strategy's series, or the strategy is disabled and
   * did not trade it (a disabled strategy stays silent).
   */
  close(ctx: StrategyContext, m: MarketView | undefined, slug: string, inSeries: boolean, enabled: boolean): DecisionIntent[] {
    if (!inSeries || (!enabled && !this.hasTraded(slug))) {
      this.discard(slug);
      return [];
    }
    return this.finalize(ctx, m, slug);
  }

  hasTraded(slug: string): boolean {
    return this.windows.get(slug)?.traded ?? false;
  }

  /** The final record for a window, once. */
  finalize(ctx: StrategyContext, m: MarketView | undefined, slug: string): DecisionIntent[] {
    if (this.finalized.has(slug)) return [];
    this.finalized.add(slug);
    if (this.finalized.size > this.maxWindows * 4) this.finalized.delete(this.finalized.values().next().value!);
    const e = this.windows.get(slug) ?? { traded: false, details: {} };
    this.windows.delete(slug);
    const record: DecisionRecord = {
      strategyId: ctx.strategyId,
      strategyType: this.strategyType,
      windowSlug: slug,
      action: e.traded ? 'traded' : 'skipped',
      reason: e.traded ? (e.tradedReason ?? 'traded') : (e.lastSkip ?? 'no-signal'),
      atMs: ctx.nowMs,
      ...(m ? { secondsLeft: (m.endMs - ctx.nowMs) / 1000 } : {}),
      ...(Object.keys(e.details).length ? { details: e.details } : {}),
    };
    return [{ kind: 'decision', record }];
  }
}

export function decision(
  ctx: StrategyContext,
  strategyType: string,
  m: MarketView,
  action: DecisionRecord['action'],
  reason: string,
  extra: Partial<Omit<DecisionRecord, 'strategyId' | 'strategyType' | 'windowSlug' | 'action' | 'reason'>> = {},
): DecisionIntent {
  return {
    kind: 'decision',
    record: {
      strategyId: ctx.strategyId,
      strategyType,
      windowSlug: m.slug,
      action,
      reason,
      atMs: ctx.nowMs,
      secondsLeft: (m.endMs - ctx.nowMs) / 1000,
      ...extra,
    },
  };
}
