/**
 * CollateralBalance: the pUSD cash the next BUY draws on, as the risk layer sees it, and the equity the balance
 * drawdown trigger watches. Published as `risk.balance` (the console's risk read model).
 *
 *   live   cash = the venue's `/balance-allowance` (COLLATERAL) + our working BUY notional at the read (the venue, like
 *          the simulator, reports the balance net of what our resting BUYs reserve — the convention the auto-triggers'
 *          balance check already uses), then moved by our own fills until the next read (a BUY spends price × size +
 *          fee, a SELL credits price × size − fee). Re-read every risk.balanceRefreshSec, ~2 s after a fill or a
 *          settlement and at the tick after a reconciliation; undefined until the first successful read.
 *   paper  cash = the paper bankroll (risk.paperBankrollUsd, unset: risk.maxTotalExposureUsd) + realised PnL of the
 *          ledger − cost basis of open positions; computed on demand, always known.
 *
 *   available = cash − working BUY notional now;  equity = cash + open positions at mid (their cost without a book).
 *
 * Invariants: at most one venue read in flight; a failed read keeps the last cash (and says so in `error`); timers on
 * the injected Clock; `risk.balance` is published only after a read or a fill-driven refresh (bounded by the refresh
 * schedule and the 2 s debounce); listeners see every reading, a listener that throws is reported, not rethrown.
 */
import type { EventBus, Unsubscribe } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { FeeSchedule } from '../core/fees';

export interface CollateralPort {
  mode: 'paper' | 'live';
  /** Live: the venue's pUSD balance as reported; undefined when it cannot be read now. */
  venueBalanceUsd?(): Promise<number | undefined>;
  /** False while the venue session is not up (no read is attempted). */
  ready(): boolean;
  paperBankrollUsd(): number;
  /** The ledger's realised PnL (fees included). */
  realizedUsd(): number;
  /** Cost basis of open (unsettled) positions. */
  openCostUsd(): number;
  workingBuyUsd(): number;
  /** Open (unsettled) positions valued at mid (at cost without a book). */
  positionValueUsd(): number;
  /** The market's fee schedule for the pre-trade cost (undefined: the default crypto schedule). */
  feesOf?(windowSlug: string): FeeSchedule | undefined;
}

export interface CollateralSnapshot {
  source: 'venue' | 'paper';
  /** Cash before our working BUYs reserve any (USD); undefined: never read (live). */
  balanceUsd: number | undefined;
  workingBuyUsd: number;
  readAtMs?: number;
  error?: string;
}

export interface CollateralReading extends CollateralSnapshot {
  positionValueUsd: number;
  /** balance + positions at mid; undefined while the balance is unknown. */
  equityUsd: number | undefined;
}

export interface CollateralBalanceOptions {
  clock: Clock;
  bus: EventBus;
  port: CollateralPort;
  refreshSec: () => number;
  tickMs?: number;
}

/** Delay between a fill / settlement and the re-read it asks for (several fills in a burst share one read). */
export const AFTER_FILL_REFRESH_MS = 2_000;

type Listener = (r: CollateralReading) => { highUsd?: number; drawdown?: number } | void;

export class CollateralBalance {
  private cash: number | undefined;
  private readAtMs: number | undefined;
  private error: string | undefined;
  private dueMs = 0;
  private busy = false;
  private timer: CancelTimer | undefined;
  private readonly unsubs: Unsubscribe[] = [];
  private listener: Listener | undefined;
  readonly stats = { reads: 0, failures: 0 };

  constructor(private readonly o: CollateralBalanceOptions) {}

  /** One listener (the drawdown trigger): its answer (high, drawdown) goes into the published event. */
  onReading(l: Listener): void {
    this.listener = l;
  }

  start(): void {
    if (this.timer) return;
    const { bus, clock } = this.o;
    this.cash = this.readAtMs = this.error = undefined;
    this.dueMs = clock.nowMs();
    this.unsubs.push(
      bus.on('order.filled', (e) => {
        const gross = e.price * e.size;
        if (this.o.port.mode === 'live' && this.cash !== undefined) this.cash += e.side === 'BUY' ? -gross - e.feeUsd : gross - e.feeUsd;
        this.soon();
      }),
      bus.on('position.settled', () => this.soon()),
      // Reconciled (the session became ready): read at the next tick, so live BUYs wait at most ~1 s for a balance.
      bus.on('reconcile.completed', () => (this.dueMs = Math.min(this.dueMs, clock.nowMs()))),
    );
    this.timer = clock.every(this.o.tickMs ?? 1_000, 'risk.balance', () => this.onTick());
  }

  stop(): void {
    this.timer?.();
    this.timer = undefined;
    for (const u of this.unsubs.splice(0)) u();
  }

  feesOf(windowSlug: string): FeeSchedule | undefined {
    return this.o.port.feesOf?.(windowSlug);
  }

  /** What the pre-trade rule reads (synchronous: cached in live, computed in paper). */
  snapshot(): CollateralSnapshot {
    const p = this.o.port;
    const working = p.workingBuyUsd();
    if (p.mode === 'paper') return { source: 'paper', balanceUsd: p.paperBankrollUsd() + p.realizedUsd() - p.openCostUsd(), workingBuyUsd: working };
    return {
      source: 'venue', balanceUsd: this.cash, workingBuyUsd: working,
      ...(this.readAtMs !== undefined ? { readAtMs: this.readAtMs } : {}), ...(this.error ? { error: this.error } : {}),
    };
  }

  reading(): CollateralReading {
    const s = this.snapshot();
    const positionValueUsd = this.o.port.positionValueUsd();
    return { ...s, positionValueUsd, equityUsd: s.balanceUsd === undefined ? undefined : s.balanceUsd + positionValueUsd };
  }

  /** Read now (live: the venue; paper: the ledger), notify the listener and publish. */
  async refresh(): Promise<CollateralReading | undefined> {
    if (this.busy || !this.o.port.ready()) return undefined;
    this.busy = true;
    const now = this.o.clock.nowMs();
    this.dueMs = now + this.o.refreshSec() * 1000;
    try {
      if (this.o.port.mode === 'live') await this.readVenue();
      const r = this.reading();
      this.publish(r, this.notify(r));
      return r;
    } finally {
      this.busy = false;
    }
  }

  private async readVenue(): Promise<void> {
    const read = this.o.port.venueBalanceUsd ? await this.o.port.venueBalanceUsd().catch((err: unknown) => (err instanceof Error ? err : new Error(String(err)))) : undefined;
    this.stats.reads++;
    if (typeof read === 'number' && Number.isFinite(read)) {
      this.cash = read + this.o.port.workingBuyUsd();
      this.readAtMs = this.o.clock.nowMs();
      this.error = undefined;
      return;
    }
    this.stats.failures++;
    this.error = read instanceof Error ? `balance read failed: ${read.message}`.slice(0, 300) : 'the venue did not answer with a balance';
  }

  private soon(): void {
    this.dueMs = Math.min(this.dueMs, this.o.clock.nowMs() + AFTER_FILL_REFRESH_MS);
  }

  private onTick(): void {
    if (this.o.clock.nowMs() >= this.dueMs) void this.refresh();
  }

  private notify(r: CollateralReading): { highUsd?: number; drawdown?: number } {
    try {
      return this.listener?.(r) ?? {};
    } catch (err) {
      this.o.bus.publish({ type: 'runtime.error', source: 'risk.balance', message: err instanceof Error ? err.message : String(err) });
      return {};
    }
  }

  private publish(r: CollateralReading, dd: { highUsd?: number; drawdown?: number }): void {
    const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
    this.o.bus.publish({
      type: 'risk.balance', source: r.source, workingBuyUsd: r6(r.workingBuyUsd), positionValueUsd: r6(Math.max(0, r.positionValueUsd)),
      ...(r.balanceUsd !== undefined ? { balanceUsd: r6(r.balanceUsd), availableUsd: r6(r.balanceUsd - r.workingBuyUsd) } : {}),
      ...(r.equityUsd !== undefined ? { equityUsd: r6(r.equityUsd) } : {}),
      ...(dd.highUsd !== undefined ? { highUsd: r6(dd.highUsd) } : {}), ...(dd.drawdown !== undefined ? { drawdown: r6(dd.drawdown) } : {}),
      ...(r.readAtMs !== undefined ? { readAtMs: r.readAtMs } : {}), ...(r.error ? { error: r.error } : {}),
    });
  }
}
