/**
 * The balance drawdown trigger (`balance_drawdown`): equity = collateral cash + open positions at mid (cost without a
 * book; bot/risk/balance-source.ts) against its high since the session started. When it falls risk.balanceDropAlertPct
 * (a fraction, default 0.2) or more below that high:
 *   - a danger `runtime.notice` (source `risk.balance`) on the console, always;
 *   - risk.balanceDropAction `reduce` / `halt` (default halt, like every other trigger but the unexplained-drop one):
 *     the kill switch moves through tripKillSwitch — its `killswitch.changed` is what the alerts webhook sends (kind
 *     kill_switch, with this reason); `alert`: the notice only (the webhook's own balance_drop rule also watches).
 * Once per crossing: the trigger re-arms when equity recovers above the threshold (drawdown below the fraction).
 *
 * Invariants: the high only rises within a session and is forgotten by reset() (a new start); an unknown balance is
 * not a reading; a zero or negative high never fires; the limits are read at every reading (hot).
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { EventBus } from '../bus';
import type { KillSwitch } from './kill-switch';
import type { CollateralReading } from './balance-source';
import { tripKillSwitch } from './trip';

/** Pure state: the session high and whether the trigger is armed. */
export class DrawdownWatch {
  private highUsd: number | undefined;
  private armed = true;

  get high(): number | undefined {
    return this.highUsd;
  }

  /** One equity reading; `fired` is true on the reading that crosses the threshold while armed. */
  observe(equityUsd: number, threshold: number): { fired: boolean; drawdown: number; high: number } {
    if (this.highUsd === undefined || equityUsd > this.highUsd) this.highUsd = equityUsd;
    const high = this.highUsd;
    const drawdown = high > 0 ? (high - equityUsd) / high : 0;
    if (!(high > 0)) return { fired: false, drawdown, high };
    if (drawdown < threshold - 1e-9) {
      this.armed = true;
      return { fired: false, drawdown, high };
    }
    const fired = this.armed;
    this.armed = false;
    return { fired, drawdown, high };
  }

  reset(): void {
    this.highUsd = undefined;
    this.armed = true;
  }
}

export interface BalanceDrawdownOptions {
  bus: EventBus;
  killSwitch: KillSwitch;
  config: () => Pick<RiskConfig, 'balanceDropAlertPct' | 'balanceDropAction'>;
}

export class BalanceDrawdownTrigger {
  private readonly watch = new DrawdownWatch();
  readonly stats = { fired: 0 };

  constructor(private readonly o: BalanceDrawdownOptions) {}

  reset(): void {
    this.watch.reset();
  }

  /** A balance reading (the CollateralBalance listener): the figures for `risk.balance`. */
  onReading(r: CollateralReading): { highUsd?: number; drawdown?: number } {
    if (r.equityUsd === undefined || !Number.isFinite(r.equityUsd)) return {};
    const cfg = this.o.config();
    const pct = cfg.balanceDropAlertPct;
    const v = this.watch.observe(r.equityUsd, pct);
    if (v.fired) this.fire(r, v.high, v.drawdown, pct, cfg.balanceDropAction);
    return { highUsd: v.high, drawdown: v.drawdown };
  }

  private fire(r: CollateralReading, high: number, drawdown: number, pct: number, action: RiskConfig['balanceDropAction']): void {
    this.stats.fired++;
    const what = r.source === 'paper' ? 'paper cash' : 'venue balance';
    const detail =
      `equity ${r.equityUsd!.toFixed(2)} USD (${what} ${r.balanceUsd!.toFixed(2)} + open positions at mid ${r.positionValueUsd.toFixed(2)}) is ` +
      `${(drawdown * 100).toFixed(1)} % below the session high ${high.toFixed(2)} USD (limit ${(pct * 100).toFixed(1)} %)`;
    const acts = action === 'halt' ? 'Trading halted.' : action === 'reduce' ? 'New exposure is refused (reduce-only).' : 'Alert only (risk.balanceDropAction = alert).';
    this.o.bus.publish({ type: 'runtime.notice', source: 'risk.balance', severity: 'danger', title: `Balance ${(drawdown * 100).toFixed(0)} % below its session high`, detail: `${detail}. ${acts}`.slice(0, 1_000) });
    if (action !== 'alert') tripKillSwitch(this.o.killSwitch, this.o.bus, 'balance_drawdown', action === 'halt' ? 'halted' : 'reducing', detail);
  }
}
