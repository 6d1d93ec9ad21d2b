/**
 * Settlement lifecycle of trades that involve a user: MATCHED -> MINED -> CONFIRMED, or (when a fault marks the
 * trade as failing) MATCHED -> RETRYING -> FAILED, which reverses the fill in the ledger.
 *
 * Invariants: each status change is published once to every user involved (taker and user makers); FAILED is
 * final and reverses exactly once; all delays run on the injected Clock.
 */
import type { Clock } from '../clock';
import type { SimHub } from './hub';
import type { Dialect } from './dialect';
import { renderTradeEvent, type TradeRecord, type TradeStatus, ZERO_OWNER } from './records';

export interface LifecycleOptions {
  minedDelayMs: number;
  confirmDelayMs: number;
}

export class TradeLifecycle {
  constructor(
    private readonly clock: Clock,
    private readonly hub: SimHub,
    private readonly opts: LifecycleOptions,
    private readonly dialect: Dialect,
  ) {}

  /** Publish MATCHED now and schedule the rest. */
  start(t: TradeRecord, failing: boolean): void {
    this.publish(t);
    this.clock.after(this.opts.minedDelayMs, `sim.trade.${t.id}.1`, () => this.advance(t, failing ? 'RETRYING' : 'MINED'));
    this.clock.after(this.opts.minedDelayMs + this.opts.confirmDelayMs, `sim.trade.${t.id}.2`, () => {
      if (failing) t.reverse();
      this.advance(t, failing ? 'FAILED' : 'CONFIRMED');
    });
  }

  private advance(t: TradeRecord, s: TradeStatus): void {
    if (t.status === 'FAILED' || t.status === 'CONFIRMED') return;
    t.status = s;
    t.lastUpdateMs = this.clock.nowMs();
    this.publish(t);
  }

  publish(t: TradeRecord): void {
    const now = this.clock.nowMs();
    const keys = new Set<string>();
    if (t.takerOwner !== ZERO_OWNER) keys.add(t.takerOwner);
    for (const m of t.makers) if (m.owner !== ZERO_OWNER) keys.add(m.owner);
    for (const k of keys) this.hub.publishUser(k, t.market.conditionId, renderTradeEvent(t, k, now, this.dialect));
  }
}
