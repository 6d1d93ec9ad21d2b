/**
 * RiskEngine: the only component that approves orders. Every `place` intent passes approve() before it
 * reaches a venue; cancels never pass through here (they are always allowed).
 *
 * Rules, in order (first failure wins, published as `risk.denied` with the rule):
 *   kill switch (halted: nothing; reducing: only exposure-reducing orders) -> live arming (a live runtime that is
 *   not armed sends nothing) -> window still open -> series enabled and feed gate (new exposure only) -> venue phase (engine restart / post-only / cancel-only / heartbeat) ->
 *   notional per trade -> trades per rolling hour -> error cooldown -> consecutive-loss cooldown ->
 *   strategy budget -> per-token position -> per-window exposure -> per-series exposure -> correlated directional
 *   exposure -> total exposure -> collateral balance -> daily loss (which also halts trading automatically).
 *
 * Balance (`insufficient_balance`, bot/risk/balance-check.ts): with a `collateral` source, a BUY whose cost (taker fee
 * included unless post-only) plus the working BUY notional exceeds the collateral balance is refused, as is every BUY
 * while a live balance was never read; SELLs always pass. Without a source the rule is skipped.
 *
 * Across series: `series_exposure` holds a series to its own `maxExposureUsd` (skipped when the view has no
 * `seriesOf`/`seriesExposureUsd`, or the series sets no limit). `correlated_exposure` denies a new-exposure BUY that
 * would leave the aggregate directional exposure (bot/risk/directional-exposure.ts: sqrt(xᵀCx) over signed USD per
 * asset, ρ clipped into [0, 1]) above `maxCorrelatedExposureUsd` AND higher than before; an order that lowers the
 * aggregate (a hedge) always passes. Skipped without `directionalUsdByAsset`; without `correlation` every pair uses
 * `correlationPrior`. Reducing orders skip both, like every exposure rule. An order whose token the view cannot
 * resolve to an asset leaves the aggregate unchanged and passes this rule (every other limit still applies).
 *
 * Strategy budgets are risk state: `setBudgets()` replaces them (config changes, instances added or removed); they
 * are never copied onto orders. An instance without a budget has none.
 *
 * Denials are counted every time; `risk.denied` is published at most once per strategy and rule every 5 s so a
 * strategy retrying against a closed door cannot flood the bus.
 *
 * Invariants: approve() is synchronous and side-effect free except for counters, the hourly ring and the
 * automatic halt; every bounded history has a fixed maximum size.
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { RiskRule } from '../../lib/schemas/events/risk';
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import type { KillSwitch } from './kill-switch';
import type { CorrelationMatrix } from './correlation';
import { describeExposure, describePairs, directionalChange, type DirectionalEffect, type SignedUsdByAsset } from './directional-exposure';
import { tripKillSwitch } from './trip';
import type { FeeSchedule } from '../core/fees';
import { insufficientBalanceReason } from './balance-check';
import type { CollateralSnapshot } from './balance-source';

/** The collateral balance the pre-trade balance rule reads (bot/risk/balance-source.ts CollateralBalance fits). */
export interface CollateralGate {
  snapshot(): CollateralSnapshot;
  /** The market's fee schedule (undefined: the default crypto schedule is assumed). */
  feesOf?(windowSlug: string): FeeSchedule | undefined;
}

export interface OrderProposal {
  strategyId: string;
  clientTag: string;
  windowSlug: string;
  tokenId: string;
  side: 'BUY' | 'SELL';
  price: number;
  size?: number;
  usd?: number;
  orderType: 'GTC' | 'GTD' | 'FOK' | 'FAK';
  postOnly: boolean;
  /** True when the order can only shrink an existing position (a SELL of shares held). */
  reducesExposure: boolean;
}

/** What the engine needs to know about the rest of the runtime (positions, feeds, venue, markets). */
export interface RiskView {
  /** Cost basis held plus working BUY notional in this window (USD). */
  windowExposureUsd(windowSlug: string): number;
  /** Cost basis plus working BUY notional of one strategy instance (USD). */
  strategyExposureUsd(strategyId: string): number;
  totalExposureUsd(): number;
  /** Cost basis held plus working BUY notional in one outcome token, all strategies (USD). Without it the per-token rule is skipped. */
  tokenExposureUsd?(tokenId: string): number;
  /** Realised PnL since the start of the UTC day (USD, negative = loss). */
  realizedTodayUsd(): number;
  /** Undefined when the window accepts orders (discovered, open, its series enabled). */
  windowBlockReason(windowSlug: string): string | undefined;
  /** Why no new exposure may be opened in this window's series (switched off); reducing orders still pass. */
  seriesBlockReason?(windowSlug: string): string | undefined;
  /** Live arming: undefined when orders may be sent (paper, or armed). Without it there is no arming. */
  armingBlockReason?(): string | undefined;
  feedBlockReason(tokenId: string): string | undefined;
  venueBlockReason(p: OrderProposal): string | undefined;
  /** The series a window belongs to (key like `btc-300`) and its own exposure limit, if any. Without it (or
   *  seriesExposureUsd) the per-series rule is skipped. */
  seriesOf?(windowSlug: string): { key: string; maxExposureUsd?: number } | undefined;
  /** Cost basis held plus working BUY notional in every window of one series (USD). */
  seriesExposureUsd?(key: string): number;
  /** Signed directional USD per asset (Up minus Down, held + working BUY), optionally with a new order added.
   *  Without it the correlated-exposure rule is skipped. */
  directionalUsdByAsset?(extra?: DirectionalEffect): SignedUsdByAsset;
  /** Estimated correlations between assets (bot/risk/correlation.ts). Without it every pair uses correlationPrior. */
  correlation?(assets: readonly string[]): CorrelationMatrix;
}

export type RiskVerdict = { ok: true } | { ok: false; rule: RiskRule; reason: string };

export interface RiskStats {
  approved: number;
  denied: number;
  deniedByRule: Partial<Record<RiskRule, number>>;
}

export class RiskEngine {
  private cfg: RiskConfig;
  private readonly approvals: number[] = [];
  private readonly errors: number[] = [];
  private errorCooldownUntilMs = 0;
  private lossCooldownUntilMs = 0;
  private consecutiveLosses = 0;
  private budgets = new Map<string, number>();
  readonly stats: RiskStats = { approved: 0, denied: 0, deniedByRule: {} };
  /** Last publish time per strategy+rule: a strategy retrying into a closed door publishes once per interval. */
  private readonly lastDeniedPublish = new Map<string, number>();
  private static readonly DENIED_PUBLISH_INTERVAL_MS = 5_000;

  constructor(
    private readonly deps: { clock: Clock; bus: EventBus; killSwitch: KillSwitch; view: RiskView; config: RiskConfig; collateral?: CollateralGate },
  ) {
    this.cfg = deps.config;
  }

  get config(): RiskConfig {
    return this.cfg;
  }

  updateConfig(cfg: RiskConfig): void {
    this.cfg = cfg;
  }

  /** Replace every strategy instance's budget (USD of cost basis it may hold at once). */
  setBudgets(budgets: Readonly<Record<string, number>> | ReadonlyMap<string, number>): void {
    const next = new Map<string, number>();
    for (const [id, usd] of budgets instanceof Map ? budgets : Object.entries(budgets)) {
      if (!(Number.isFinite(usd) && usd >= 0)) throw new Error(`budget of ${id} must be a non-negative number of USD (got ${usd})`);
      next.set(id, usd);
    }
    this.budgets = next;
  }

  /** The budget the engine enforces for an instance (its own state), if any. */
  budgetOf(strategyId: string): number | undefined {
    return this.budgets.get(strategyId);
  }

  budgetsSnapshot(): Record<string, number> {
    return Object.fromEntries(this.budgets);
  }

  approve(p: OrderProposal): RiskVerdict {
    const verdict = this.evaluate(p);
    if (verdict.ok) {
      this.stats.approved++;
      this.approvals.push(this.deps.clock.nowMs());
      if (this.approvals.length > this.cfg.maxTradesPerHour) this.approvals.splice(0, this.approvals.length - this.cfg.maxTradesPerHour);
    } else {
      this.stats.denied++;
      this.stats.deniedByRule[verdict.rule] = (this.stats.deniedByRule[verdict.rule] ?? 0) + 1;
      const key = `${p.strategyId}|${verdict.rule}`;
      const now = this.deps.clock.nowMs();
      const last = this.lastDeniedPublish.get(key);
      if (last === undefined || now - last >= RiskEngine.DENIED_PUBLISH_INTERVAL_MS) {
        if (this.lastDeniedPublish.size > 1_000) this.lastDeniedPublish.clear();
        this.lastDeniedPublish.set(key, now);
        this.deps.bus.publish({ type: 'risk.denied', strategyId: p.strategyId, clientTag: p.clientTag, windowSlug: p.windowSlug, rule: verdict.rule, reason: verdict.reason });
      }
    }
    return verdict;
  }

  /** Count an execution or feed error; a burst starts the error cooldown. */
  recordError(source: string): void {
    const now = this.deps.clock.nowMs();
    this.errors.push(now);
    while (this.errors.length > 0 && this.errors[0]! < now - 60_000) this.errors.shift();
    if (this.errors.length > this.cfg.errorBurstCount * 4) this.errors.splice(0, this.errors.length - this.cfg.errorBurstCount * 4);
    if (this.errors.length >= this.cfg.errorBurstCount && now >= this.errorCooldownUntilMs) {
      this.errorCooldownUntilMs = now + this.cfg.errorCooldownSec * 1000;
      this.errors.length = 0;
      this.deps.bus.publish({ type: 'risk.cooldown', rule: 'error_cooldown', untilMs: this.errorCooldownUntilMs, reason: `error burst (last: ${source})` });
    }
  }

  /** Record a settled window's PnL (per strategy or overall); consecutive losses start a cooldown. */
  recordWindowResult(pnlUsd: number): void {
    if (pnlUsd < 0) this.consecutiveLosses++;
    else if (pnlUsd > 0) this.consecutiveLosses = 0;
    if (this.consecutiveLosses >= this.cfg.maxConsecutiveLosses) {
      const now = this.deps.clock.nowMs();
      this.lossCooldownUntilMs = now + this.cfg.consecutiveLossCooldownSec * 1000;
      this.consecutiveLosses = 0;
      this.deps.bus.publish({ type: 'risk.cooldown', rule: 'loss_cooldown', untilMs: this.lossCooldownUntilMs, reason: `${this.cfg.maxConsecutiveLosses} losing windows in a row` });
    }
  }

  /** Halt automatically when the daily loss limit is reached. Call after fills and settlements. */
  checkDailyLoss(): void {
    const realized = this.deps.view.realizedTodayUsd();
    if (realized <= -this.cfg.maxDailyLossUsd && this.deps.killSwitch.state !== 'halted') {
      tripKillSwitch(this.deps.killSwitch, this.deps.bus, 'daily_loss', 'halted', `daily loss ${realized.toFixed(2)} USD reached the limit ${this.cfg.maxDailyLossUsd}`);
    }
  }

  private evaluate(p: OrderProposal): RiskVerdict {
    const v = this.deps.view;
    const ks = this.deps.killSwitch.state;
    if (ks === 'halted') return deny('kill_switch', 'trading halted');
    if (ks === 'reducing' && !p.reducesExposure) return deny('reducing_only', 'reduce-only mode: order would add exposure');
    const unarmed = v.armingBlockReason?.();
    if (unarmed) return deny('not_armed', unarmed);
    if (!(p.price > 0 && p.price < 1) || !((p.size ?? 0) > 0 || (p.usd ?? 0) > 0)) return deny('invalid', `invalid order: price ${p.price}, size ${p.size}, usd ${p.usd}`);
    const closed = v.windowBlockReason(p.windowSlug);
    if (closed) return deny('window_closed', closed);
    if (!p.reducesExposure) {
      const off = v.seriesBlockReason?.(p.windowSlug);
      if (off) return deny('series_disabled', off);
      const feed = v.feedBlockReason(p.tokenId);
      if (feed) return deny('feed', feed);
    }
    const venue = v.venueBlockReason(p);
    if (venue) return deny('venue', venue);
    const notional = p.usd ?? (p.size ?? 0) * p.price;
    if (notional > this.cfg.maxUsdPerTrade + 1e-9) return deny('max_usd_per_trade', `notional ${notional.toFixed(2)} > ${this.cfg.maxUsdPerTrade} USD`);
    const now = this.deps.clock.nowMs();
    const hourAgo = now - 3_600_000;
    let recent = 0;
    for (let i = this.approvals.length - 1; i >= 0 && this.approvals[i]! > hourAgo; i--) recent++;
    if (recent >= this.cfg.maxTradesPerHour) return deny('max_trades_per_hour', `${recent} orders in the last hour (limit ${this.cfg.maxTradesPerHour})`);
    if (now < this.errorCooldownUntilMs && !p.reducesExposure) return deny('error_cooldown', `error cooldown for ${Math.ceil((this.errorCooldownUntilMs - now) / 1000)} s`);
    if (now < this.lossCooldownUntilMs && !p.reducesExposure) return deny('loss_cooldown', `loss cooldown for ${Math.ceil((this.lossCooldownUntilMs - now) / 1000)} s`);
    if (!p.reducesExposure && p.side === 'BUY') {
      const budget = this.budgets.get(p.strategyId);
      if (budget !== undefined) {
        const s = v.strategyExposureUsd(p.strategyId) + notional;
        if (s > budget + 1e-9) return deny('strategy_budget', `${p.strategyId} exposure would be ${s.toFixed(2)} > budget ${budget} USD`);
      }
      if (v.tokenExposureUsd) {
        const k = v.tokenExposureUsd(p.tokenId) + notional;
        if (k > this.cfg.maxPositionPerTokenUsd + 1e-9) return deny('token_position', `position in token ${p.tokenId.slice(0, 10)}… would be ${k.toFixed(2)} > ${this.cfg.maxPositionPerTokenUsd} USD`);
      }
      const w = v.windowExposureUsd(p.windowSlug) + notional;
      if (w > this.cfg.maxExposurePerWindowUsd + 1e-9) return deny('window_exposure', `window exposure would be ${w.toFixed(2)} > ${this.cfg.maxExposurePerWindowUsd} USD`);
      const series = this.seriesVerdict(p, notional);
      if (series) return series;
      const correlated = this.correlatedVerdict(p, notional);
      if (correlated) return correlated;
      const t = v.totalExposureUsd() + notional;
      if (t > this.cfg.maxTotalExposureUsd + 1e-9) return deny('total_exposure', `total exposure would be ${t.toFixed(2)} > ${this.cfg.maxTotalExposureUsd} USD`);
    }
    const c = this.deps.collateral;
    const short = c && p.side === 'BUY' ? insufficientBalanceReason(p, c.snapshot(), c.feesOf?.(p.windowSlug)) : undefined;
    if (short) return deny('insufficient_balance', short);
    const realized = v.realizedTodayUsd();
    if (realized <= -this.cfg.maxDailyLossUsd) {
      this.checkDailyLoss();
      return deny('daily_loss', `daily loss ${realized.toFixed(2)} USD at the limit`);
    }
    return { ok: true };
  }

  private seriesVerdict(p: OrderProposal, notional: number): RiskVerdict | undefined {
    const v = this.deps.view;
    if (!v.seriesOf || !v.seriesExposureUsd) return undefined;
    const series = v.seriesOf(p.windowSlug);
    if (!series || series.maxExposureUsd === undefined) return undefined;
    const e = v.seriesExposureUsd(series.key) + notional;
    if (e > series.maxExposureUsd + 1e-9) return deny('series_exposure', `series ${series.key} exposure would be ${e.toFixed(2)} > ${series.maxExposureUsd} USD`);
    return undefined;
  }

  private correlatedVerdict(p: OrderProposal, notional: number): RiskVerdict | undefined {
    const v = this.deps.view;
    if (!v.directionalUsdByAsset) return undefined;
    const before = v.directionalUsdByAsset();
    const after = v.directionalUsdByAsset({ windowSlug: p.windowSlug, tokenId: p.tokenId, usd: notional });
    const assets = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    const matrix = v.correlation && assets.length > 1 ? v.correlation(assets) : undefined;
    const change = directionalChange(before, after, matrix, this.cfg.correlationPrior);
    const cap = this.cfg.maxCorrelatedExposureUsd;
    if (change.afterUsd > cap + 1e-9 && change.afterUsd > change.beforeUsd + 1e-9) {
      return deny(
        'correlated_exposure',
        `aggregate directional exposure would be ${change.afterUsd.toFixed(2)} > cap ${cap} USD (now ${change.beforeUsd.toFixed(2)}; ${describeExposure(after)}; ${describePairs(change.pairs)})`,
      );
    }
    return undefined;
  }
}

function deny(rule: RiskRule, reason: string): RiskVerdict {
  return { ok: false, rule, reason };
}
