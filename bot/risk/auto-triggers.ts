/**
 * Automatic kill-switch triggers: bus facts and periodic venue reads that move the trading state towards safety, each
 * with its own reason (`<trigger>: …`) in the kill switch's audit entry and a `risk.triggered` event.
 *
 *   daily_loss          position.changed / position.settled / tick -> RiskEngine.checkDailyLoss()      -> halted
 *   stale_reference     no `ref.price` (live) for staleReferenceHaltSec while orders of ours rest         -> halted
 *   divergence          |reference - spot| / spot > maxReferenceSpotDivergenceBps for divergenceHaltSec  -> halted
 *                       (per asset: each asset's reference against its own spot symbol)
 *   heartbeat           `venue.heartbeat` failed heartbeatFailuresToHalt times in a row                  -> halted
 *   error_burst         errorBurstHaltCount `runtime.error` events within 60 s                           -> halted
 *   reconcile_mismatch  `reconcile.completed` that found venue orders the journal did not know, or the
 *                       periodic two-way ledger check (ledgerCheckSec) showing a difference twice in a row -> halted
 *   balance_drop        venue balance (+ our working BUY notional) fell balanceDropPct % between two reads (balanceCheckSec), beyond
 *                       what our own BUY fills spent (sells are not credited: a paper fill never moves the
 *                       venue balance): a danger `runtime.notice` (the alert) and                         -> reducing
 *   balance_drawdown    collateral cash + open positions at mid balanceDropAlertPct below the session high (paper
 *                       too; bot/risk/balance-drawdown.ts over the `balance` source, which this class starts and
 *                       stops): a danger `runtime.notice` and, per balanceDropAction,          -> halted | reducing | —
 *
 * Invariants: limits are read from the risk engine's current config on every check (hot updates apply at once);
 * triggers only move towards safety (tripKillSwitch); one 1 s tick on the injected Clock drives the periodic checks;
 * at most one venue read of each kind is in flight; every history is bounded.
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { EventOf, RiskTrigger } from '../../lib/schemas/events';
import type { EventBus, Unsubscribe } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import type { KillSwitch } from './kill-switch';
import { tripKillSwitch } from './trip';
import { assetOfSymbol } from '../core/series';
import { BalanceDrawdownTrigger } from './balance-drawdown';
import type { CollateralBalance } from './balance-source';

/** What the triggers read from the venue side (wired by the runtime over the venue session). */
export interface TriggerPort {
  /** Orders of ours working at the venue now (our tracker's open orders). */
  restingOrders(): number;
  /** The venue's pUSD balance for our account; undefined when it cannot be read now. */
  balanceUsd?(): Promise<number | undefined>;
  /** USD still held by our working BUY orders (a venue may report the balance net of it); added back to the balance. */
  workingBuyUsd?(): number;
  /** Two-way ledger comparison (see ledger-check.ts): one line per difference. */
  ledgerCheck?(): Promise<string[]>;
  /** False when the data has no reference price by design (a books-only recorded session): no stale-reference trip. */
  referenceExpected?(): boolean;
}

export interface AutoTriggersOptions {
  clock: Clock;
  bus: EventBus;
  killSwitch: KillSwitch;
  risk: { readonly config: RiskConfig; checkDailyLoss(): void };
  port: TriggerPort;
  /** The collateral balance source (bot/risk/balance-source.ts): started and stopped with the triggers; its readings
   *  drive the balance drawdown trigger. */
  balance?: CollateralBalance;
  tickMs?: number;
}

const ERROR_WINDOW_MS = 60_000;
const MAX_ERRORS_HELD = 10_000;

export class AutoTriggers {
  private readonly unsubs: Unsubscribe[] = [];
  private tick: CancelTimer | undefined;
  private startedMs = 0;
  private lastRefMs: number | undefined;
  /** Per asset (`btc`, `eth`): the latest reference and spot prices and since when they diverge. */
  private readonly ref = new Map<string, { price: number; ms: number }>();
  private readonly spot = new Map<string, { price: number; ms: number }>();
  private readonly divergingSinceMs = new Map<string, number>();
  private readonly errors: number[] = [];
  private balance: { usd: number; ms: number } | undefined;
  private ownSpendUsd = 0;
  private balanceDue = 0;
  private ledgerDue = 0;
  private balanceBusy = false;
  private ledgerBusy = false;
  private lastLedgerDiffs = new Set<string>();
  readonly drawdown: BalanceDrawdownTrigger;

  constructor(private readonly o: AutoTriggersOptions) {
    this.drawdown = new BalanceDrawdownTrigger({ bus: o.bus, killSwitch: o.killSwitch, config: () => this.cfg });
    o.balance?.onReading((r) => this.drawdown.onReading(r));
  }

  private get cfg(): RiskConfig {
    return this.o.risk.config;
  }

  start(): void {
    if (this.tick) return;
    const { bus, clock } = this.o;
    this.startedMs = clock.nowMs();
    // A (re)start begins fresh: no baseline balance, reference age, divergence, error or ledger history carried over.
    this.lastRefMs = this.balance = undefined;
    this.ref.clear();
    this.spot.clear();
    this.divergingSinceMs.clear();
    this.errors.length = 0;
    this.ownSpendUsd = 0;
    this.lastLedgerDiffs = new Set();
    this.balanceDue = this.startedMs;
    this.ledgerDue = this.startedMs + this.cfg.ledgerCheckSec * 1000;
    this.unsubs.push(
      bus.on('ref.price', (e) => {
        if (e.kind !== 'live') return;
        this.lastRefMs = clock.nowMs();
        this.ref.set(assetOfSymbol(e.symbol), { price: e.priceUsd, ms: this.lastRefMs });
      }),
      bus.on('spot.price', (e) => this.spot.set(assetOfSymbol(e.symbol), { price: e.priceUsd, ms: clock.nowMs() })),
      bus.on('position.changed', () => this.o.risk.checkDailyLoss()),
      bus.on('position.settled', () => this.o.risk.checkDailyLoss()),
      bus.on('venue.heartbeat', (e) => this.onHeartbeat(e)),
      bus.on('runtime.error', () => this.onError()),
      bus.on('reconcile.completed', (e) => this.onReconcile(e)),
      bus.on('order.filled', (e) => {
        const gross = e.price * e.size;
        this.ownSpendUsd += (e.side === 'BUY' ? gross : -gross) + e.feeUsd;
      }),
    );
    this.tick = clock.every(this.o.tickMs ?? 1_000, 'risk.auto-triggers', () => this.onTick());
    this.drawdown.reset(); // a new session high
    this.o.balance?.start();
  }

  stop(): void {
    this.o.balance?.stop();
    this.tick?.();
    this.tick = undefined;
    for (const u of this.unsubs.splice(0)) u();
  }

  private trip(trigger: RiskTrigger, state: 'reducing' | 'halted', detail: string): void {
    tripKillSwitch(this.o.killSwitch, this.o.bus, trigger, state, detail);
  }

  private onTick(): void {
    const now = this.o.clock.nowMs();
    this.o.risk.checkDailyLoss();
    this.checkStaleReference(now);
    this.checkDivergence(now);
    if (now >= this.balanceDue && !this.balanceBusy && this.o.port.balanceUsd) void this.checkBalance(now);
    if (now >= this.ledgerDue && !this.ledgerBusy && this.o.port.ledgerCheck) void this.checkLedger(now);
  }

  private checkStaleReference(now: number): void {
    if (this.o.port.referenceExpected && !this.o.port.referenceExpected()) return;
    const ageMs = now - (this.lastRefMs ?? this.startedMs);
    if (ageMs < this.cfg.staleReferenceHaltSec * 1000) return;
    const resting = this.o.port.restingOrders();
    if (resting <= 0) return;
    const age = this.lastRefMs === undefined ? `no reference price for ${(ageMs / 1000).toFixed(1)} s` : `reference price silent for ${(ageMs / 1000).toFixed(1)} s`;
    this.trip('stale_reference', 'halted', `${age} while ${resting} order(s) of ours rest (limit ${this.cfg.staleReferenceHaltSec} s)`);
  }

  /** Each asset's reference against its own spot price (never another asset's). */
  private checkDivergence(now: number): void {
    for (const [asset, ref] of this.ref) this.checkAssetDivergence(now, asset, ref, this.spot.get(asset));
  }

  private checkAssetDivergence(now: number, asset: string, ref: { price: number; ms: number }, spot: { price: number; ms: number } | undefined): void {
    const fresh = this.cfg.staleFeedSec * 1000;
    if (!spot || now - ref.ms > fresh || now - spot.ms > fresh) {
      this.divergingSinceMs.delete(asset);
      return;
    }
    const bps = (Math.abs(ref.price - spot.price) / spot.price) * 10_000;
    if (bps <= this.cfg.maxReferenceSpotDivergenceBps) {
      this.divergingSinceMs.delete(asset);
      return;
    }
    const since = this.divergingSinceMs.get(asset) ?? now;
    this.divergingSinceMs.set(asset, since);
    const forMs = now - since;
    if (forMs < this.cfg.divergenceHaltSec * 1000) return;
    this.trip(
      'divergence', 'halted',
      `${asset} reference ${ref.price.toFixed(2)} vs spot ${spot.price.toFixed(2)}: ${bps.toFixed(0)} bps apart for ${(forMs / 1000).toFixed(0)} s (limit ${this.cfg.maxReferenceSpotDivergenceBps} bps for ${this.cfg.divergenceHaltSec} s)`,
    );
  }

  private onHeartbeat(e: EventOf<'venue.heartbeat'>): void {
    if (e.ok || e.consecutiveFailures < this.cfg.heartbeatFailuresToHalt) return;
    this.trip('heartbeat', 'halted', `${e.consecutiveFailures} venue heartbeats failed in a row (limit ${this.cfg.heartbeatFailuresToHalt})${e.reason ? `: ${e.reason.slice(0, 120)}` : ''}`);
  }

  private onError(): void {
    const now = this.o.clock.nowMs();
    this.errors.push(now);
    while (this.errors.length > 0 && this.errors[0]! <= now - ERROR_WINDOW_MS) this.errors.shift();
    if (this.errors.length > MAX_ERRORS_HELD) this.errors.splice(0, this.errors.length - MAX_ERRORS_HELD);
    if (this.errors.length >= this.cfg.errorBurstHaltCount) {
      this.trip('error_burst', 'halted', `${this.errors.length} runtime errors within 60 s (limit ${this.cfg.errorBurstHaltCount})`);
    }
  }

  private onReconcile(e: EventOf<'reconcile.completed'>): void {
    const unknown = e.adopted + e.canceledOrphans;
    if (unknown <= 0) return;
    this.trip('reconcile_mismatch', 'halted', `reconciliation found ${unknown} order(s) at the venue the journal did not know (adopted ${e.adopted}, cancelled ${e.canceledOrphans})`);
  }

  private async checkLedger(now: number): Promise<void> {
    this.ledgerBusy = true;
    this.ledgerDue = now + this.cfg.ledgerCheckSec * 1000;
    try {
      const diffs = await this.o.port.ledgerCheck!();
      const persistent = diffs.filter((d) => this.lastLedgerDiffs.has(d));
      this.lastLedgerDiffs = new Set(diffs.slice(0, 100));
      if (persistent.length > 0) {
        this.trip('reconcile_mismatch', 'halted', `ledger differs from the venue at two checks in a row: ${persistent.slice(0, 3).join('; ')}${persistent.length > 3 ? ` (+${persistent.length - 3} more)` : ''}`);
      }
    } catch {
      // The venue could not be read: not a mismatch (the heartbeat and feed triggers cover an unreachable venue).
    } finally {
      this.ledgerBusy = false;
    }
  }

  private async checkBalance(now: number): Promise<void> {
    this.balanceBusy = true;
    this.balanceDue = now + this.cfg.balanceCheckSec * 1000;
    try {
      const read = await this.o.port.balanceUsd!().catch(() => undefined);
      if (read === undefined || !Number.isFinite(read)) return;
      const usd = read + (this.o.port.workingBuyUsd?.() ?? 0);
      const prev = this.balance;
      const spent = this.ownSpendUsd;
      this.balance = { usd, ms: this.o.clock.nowMs() };
      this.ownSpendUsd = 0;
      if (!prev || prev.usd <= 0) return;
      const unexplained = prev.usd - usd - Math.max(0, spent);
      const pct = (unexplained / prev.usd) * 100;
      if (pct < this.cfg.balanceDropPct) return;
      const detail = `venue balance fell from ${prev.usd.toFixed(2)} to ${usd.toFixed(2)} USD (${pct.toFixed(1)} % beyond our own fills, limit ${this.cfg.balanceDropPct} %)`;
      this.o.bus.publish({
        type: 'runtime.notice', source: 'risk.balance', severity: 'danger', title: `Venue balance dropped ${pct.toFixed(0)} %`,
        detail: `${detail}. New exposure is refused (reduce-only). Check the wallet's activity; re-activate from the console with a reason once explained.`,
      });
      this.trip('balance_drop', 'reducing', detail);
    } finally {
      this.balanceBusy = false;
    }
  }
}
