/**
 * The trading subsystem as one runtime component: on start it builds the VenueSession (catalog, feeds, tracker,
 * venue, execution engine) over the configured endpoints, wires the risk layer into it and starts the strategy host;
 * on stop it takes everything down in reverse order.
 *
 * Risk layer (bot/risk): the risk engine approves every order over a view of this session (exposure per window,
 * strategy, token and in total; the persisted UTC risk day; series switched off; live arming; feeds; venue; the
 * preflight); strategy budgets are the engine's state; the automatic triggers watch the bus and the venue (balance,
 * two-way ledger check) and trip the kill switch; the halt loop cancels until the venue shows no open orders of ours;
 * live arming keeps a live runtime from sending anything until an operator arms it.
 *
 * Configuration: the runtime's current config is read at every start (asset and windows, strategies, limits); hot
 * changes arrive through the setters below (the composition root registers them as config targets): each setter
 * validates first and only then changes state, so a refusal leaves everything as it was.
 *
 * Credentials are resolved on every start, before the stack (its reference feed depends on them); their notices
 * (what is missing and the command that fixes it) are published as `runtime.notice`.
 *
 * Preflight and health (bot/preflight, bot/health): the go/no-go check runs at every start over the new stack
 * (in live, one heartbeat round trip first, before the stack's heartbeat loop) and is re-checked periodically; in
 * live a NO-GO blocks new orders through the engine gate. The health monitor turns feed, lookup, reachability and
 * preflight facts into the `degraded` / `down` status of `/api/health`.
 *
 * Invariants: a new stack per start (fresh sockets; the journal and reconciliation carry state across);
 * halting the kill switch cancels in the same turn (halt loop) and disarms; strategies see no events before the
 * stack is up; every start comes up disarmed.
 */
import type { RiskConfig, RuntimeConfig, StrategyInstanceConfig } from '../../lib/schemas/config';
import type { EventBus, Unsubscribe } from '../bus';
import type { Clock } from '../clock';
import { type ExecutionJournal, type OrderSideFactory, type ResolvedCredentials } from '../execution';
import { HealthMonitor } from '../health/health-monitor';
import { PreflightMonitor } from '../preflight/preflight-monitor';
import { AutoTriggers, CollateralBalance, stackCollateralPort, correlationSettingsOf, CorrelationEstimator, createLedgerCheck, HaltLoop, LiveArming, RiskDay, RiskEngine, startCorrelationPublisher, type KillSwitch } from '../risk';
import type { AuditLog, RiskDayStore } from '../store';
import type { RuntimeComponent } from '../core/component';
import { createRiskView, workingBuyUsd } from '../host/risk-view';
import { StrategyHost, type HostedStrategy } from '../host/strategy-host';
import type { StrategyPort } from '../host/strategy-port';
import { createStrategy, parseStrategyConfig } from '../strategies/registry';
import { VenueSession, type MarketDataWiring } from './venue-session';
import type { RawSource } from '../core/connection';
import { planSeries, seriesKeyOfWindow, type SeriesPlan } from './series-plan';
import { type VenueEndpoints } from '../core';
import type { ExternalSignalValue } from '../strategies/context';

export interface SessionComponentOptions {
  mode: 'paper' | 'live';
  /** Live: orders wait for an operator's arm (the root's choice). */
  requireArming: boolean;
  clock: Clock;
  bus: EventBus;
  killSwitch: KillSwitch;
  journal: ExecutionJournal;
  store: { riskDays: RiskDayStore; audit: AuditLog };
  /** The runtime's current configuration: read at every start and by the hot-apply setters. */
  config: () => RuntimeConfig;
  endpoints: () => VenueEndpoints;
  /** Live sockets or a recorded session (the root's choice). */
  marketData: MarketDataWiring;
  /** Run the go/no-go preflight at every start (off for a replay: there is no venue to probe). Default true. */
  preflight?: boolean;
  /** Raw frame tap (the recorder), called for every socket text frame with its receive time. */
  onRaw?: (feed: RawSource, tsRecvMs: number, text: string) => void;
  /** How reports name the venue (the root knows: 'simulator (embedded)', otherwise derived from the endpoints). */
  venueLabel?: string;
  /** Resolves the signing key / API credentials and the reference feed choice; runs before the stack is built. */
  credentials: () => Promise<ResolvedCredentials>;
  /** The order side for these credentials (the root's choice: paper or live). */
  orderSide: (credentials: ResolvedCredentials) => OrderSideFactory;
  seed: number;
  /** Automatic triggers' tick (default 1 s) and the halt loop's backoff (tests). */
  triggerTickMs?: number;
  /** External signal values (the runtime's poller), handed to strategies as `ctx.external`. */
  externalSignals?: () => ReadonlyMap<string, ExternalSignalValue>;
}

export class SessionComponent implements RuntimeComponent {
  readonly name = 'trading';
  readonly riskEngine: RiskEngine;
  /** The realised PnL of the UTC day (persisted): the daily-loss rule and the dashboard read this one figure. */
  readonly riskDay: RiskDay;
  readonly triggers: AutoTriggers;
  /** The collateral (pUSD) balance behind the pre-trade balance rule and the drawdown trigger (`risk.balance`). */
  readonly collateral: CollateralBalance;
  readonly haltLoop: HaltLoop;
  readonly arming: LiveArming;
  stack: VenueSession | undefined;
  /** Where the API credentials of the current start came from (no secrets). */
  credentials: { source: ResolvedCredentials['source']; reference: ResolvedCredentials['reference']; address?: string } | undefined;
  host: StrategyHost | undefined;
  /** Go/no-go checks of this component's starts (the latest report outlives a stop). */
  readonly preflight: PreflightMonitor;
  readonly health: HealthMonitor;
  /** Correlation between the traded assets' references (the cap on aggregate directional exposure reads it). */
  readonly correlation: CorrelationEstimator;
  /** The series plan of the current start (asset, the windows it tracks). */
  plan: SeriesPlan | undefined;
  private unsubs: Unsubscribe[] = [];
  private readonly permanent: Unsubscribe[] = [];

  constructor(private readonly o: SessionComponentOptions) {
    const cfg = o.config();
    const plan = planSeries(cfg.series); // fail at construction on an impossible series list, not at the first start
    const port = () => this.stack as StrategyPort | undefined;
    this.riskDay = new RiskDay({
      clock: o.clock,
      store: o.store.riskDays,
      // Undefined until the ledger was reconciled: the restored journal is a baseline, never a day's change.
      realizedTotalUsd: () => (this.stack?.reconciled ? this.stack.tracker.positions.totalRealizedUsd() : undefined),
    });
    this.preflight = new PreflightMonitor({
      mode: o.mode, clock: o.clock, bus: o.bus, asset: plan.asset, kinds: plan.enabledKinds, maxUsdPerTrade: () => this.riskEngine.config.maxUsdPerTrade,
      ...(o.venueLabel ? { venueLabel: o.venueLabel } : {}),
    });
    this.arming = new LiveArming({
      clock: o.clock,
      bus: o.bus,
      audit: o.store.audit,
      required: o.requireArming,
      readiness: () => this.armingReadiness(),
      cancelAll: () => this.cancelEverything(),
    });
    const view = createRiskView({
      port,
      costUsd: (w?: string, s?: string) => this.host?.positions.costUsd(w, s) ?? 0,
      tokenCostUsd: (tokenId) => {
        let sum = 0;
        for (const p of this.stack?.tracker.positions.all() ?? []) if (p.tokenId === tokenId && !p.settled) sum += p.costUsd;
        return sum;
      },
      realizedTodayUsd: () => this.riskDay.realizedTodayUsd(),
      seriesBlockReason: (slug) => this.seriesBlockReason(slug),
      // Cross-series risk: each window's series (and its own cap), held positions for the per-series and per-asset
      // directional sums, and the estimated correlation between assets.
      heldPositions: () => (this.stack?.tracker.positions.all() ?? []).filter((p) => !p.settled),
      seriesOf: (slug) => {
        const rec = this.stack?.window(slug);
        if (!rec) return undefined;
        const key = seriesKeyOfWindow(rec.window);
        const s = this.o.config().series.find((x) => `${x.asset}-${x.windowSec}` === key);
        return s?.maxExposureUsd !== undefined ? { key, maxExposureUsd: s.maxExposureUsd } : { key };
      },
      correlation: (assets) => this.correlation.matrix(assets),
      armingBlockReason: () => this.arming.blockReason(),
      // Live: a NO-GO preflight (or one not finished yet) is a venue block the risk engine reports with its reason.
      venueBlocks: [() => this.preflight.blockReason()],
    });
    this.correlation = new CorrelationEstimator({ clock: o.clock, settings: () => correlationSettingsOf(this.riskEngine.config) });
    this.collateral = new CollateralBalance({ clock: o.clock, bus: o.bus, refreshSec: () => this.riskEngine.config.balanceRefreshSec, port: stackCollateralPort({ mode: o.mode, stack: () => this.stack, risk: () => this.riskEngine.config, workingBuyUsd }) });
    this.riskEngine = new RiskEngine({ clock: o.clock, bus: o.bus, killSwitch: o.killSwitch, config: cfg.risk, view, collateral: this.collateral });
    const correlationFeed = startCorrelationPublisher({ bus: o.bus, clock: o.clock, estimator: this.correlation, config: () => this.riskEngine.config, exposure: () => view.directionalUsdByAsset?.() ?? {} });
    this.permanent.push(correlationFeed.dispose);
    this.setBudgets(cfg.strategies);
    this.triggers = new AutoTriggers({
      clock: o.clock,
      bus: o.bus,
      killSwitch: o.killSwitch,
      risk: this.riskEngine,
      balance: this.collateral,
      ...(o.triggerTickMs ? { tickMs: o.triggerTickMs } : {}),
      port: {
        restingOrders: () => this.stack?.tracker.open().length ?? 0,
        referenceExpected: () => !o.marketData.noReference,
        workingBuyUsd: () => workingBuyUsd(this.stack?.tracker.open() ?? []),
        // Only a live venue has a balance of ours to watch (paper fills never move it).
        balanceUsd: async () => (this.stack?.live ? this.stack.live.collateralUsd() : undefined),
        ledgerCheck: createLedgerCheck({
          venueOpenOrderIds: async () => {
            const s = this.stack;
            if (!s?.reconciled) throw new Error('not reconciled yet');
            return (await s.venue.openOrders()).map((x) => x.orderId);
          },
          ourOpenOrderIds: () => (this.stack?.tracker.open() ?? []).flatMap((x) => (x.orderId ? [x.orderId] : [])),
        }),
      },
    });
    this.haltLoop = new HaltLoop({
      clock: o.clock,
      bus: o.bus,
      killSwitch: o.killSwitch,
      port: {
        cancelAll: () => this.cancelEverything(),
        openOrdersAtVenue: async () => {
          const s = this.stack;
          if (!s) throw new Error('venue session not running');
          return (await s.venue.openOrders()).length;
        },
      },
    });
    this.permanent.push(
      o.killSwitch.onHalt((s) => {
        if (s.state === 'halted') this.arming.reset(`kill switch halted: ${s.reason}`.slice(0, 500));
      }),
    );
    this.health = new HealthMonitor({
      clock: o.clock,
      bus: o.bus,
      referenceFeed: () => (this.stack?.refFeed ? this.stack.referenceFeed : 'none'),
      preflight: () => this.preflight.latest,
    });
  }

  // --- hot apply (config targets registered by the composition root) ---

  /** Risk limits: the engine reads them on its next decision, the triggers on their next check, the feeds now. */
  applyRisk(risk: RiskConfig): void {
    this.riskEngine.updateConfig(risk);
    this.stack?.setFeedLimits({ staleFeedMs: risk.staleFeedSec * 1000, allowSpotOnly: risk.allowSpotOnlyTrading });
  }

  /** Strategy budgets (risk state): one per instance id. */
  setBudgets(strategies: readonly Pick<StrategyInstanceConfig, 'id' | 'budgetUsd'>[]): void {
    this.riskEngine.setBudgets(new Map(strategies.map((s) => [s.id, s.budgetUsd])));
  }

  /**
   * Strategy instances: add, remove, enable / disable and parameters. Everything is parsed before anything changes
   * (a bad parameter throws and nothing moved); kept instances get `updateConfig`, new ones start, removed ones stop.
   */
  applyStrategies(list: readonly StrategyInstanceConfig[]): void {
    const host = this.host;
    const current = new Map((host?.strategies ?? []).map((h) => [h.id, h]));
    const parsed = list.map((s) =>
      forInstance(s, () => {
        const kept = current.get(s.id);
        if (kept && kept.strategy.type !== s.type) throw new Error(`changing the type of ${s.id} (${kept.strategy.type} -> ${s.type}) needs a restart`);
        return { s, config: parseStrategyConfig(s.type, s.params), kept };
      }),
    );
    if (!host) return; // not running: the next start builds the instances from the config
    const next: HostedStrategy[] = parsed.map(({ s, kept }) => kept ?? { id: s.id, strategy: createStrategy(s.type, s.params) });
    for (const { kept, config } of parsed) kept?.strategy.updateConfig(config);
    host.setStrategies(next);
  }

  /**
   * Series added, removed or switched on/off while running (validated first: an impossible list throws and nothing
   * moved). Added series start their windows and reference symbols at once; a removed series discovers no new
   * windows, its working orders are cancelled and its positions are held to settlement.
   */
  applySeries(series: RuntimeConfig['series']): void {
    const plan = planSeries(series);
    const stack = this.stack;
    if (!stack) return; // not running: the next start reads the config
    const { removed } = stack.setSeries(plan.series);
    this.plan = plan;
    this.preflight.setScope(plan.asset, plan.enabledKinds);
    if (removed.length === 0) return;
    const gone = new Set(removed.map((d) => d.key));
    const orders = stack.tracker.open().filter((ord) => {
      const rec = stack.window(ord.windowSlug);
      return rec !== undefined && gone.has(seriesKeyOfWindow(rec.window));
    });
    for (const ord of orders) void stack.cancel(ord.clientTag).catch(() => undefined);
    this.o.bus.publish({ type: 'runtime.notice', source: 'config', severity: 'info', title: `series removed: ${[...gone].join(', ')}`, detail: `${orders.length} working order(s) cancelled; positions in its windows are held until they settle` });
  }

  async start(): Promise<void> {
    const o = this.o;
    const cfg = o.config();
    const plan = planSeries(cfg.series);
    this.riskEngine.updateConfig(cfg.risk);
    this.setBudgets(cfg.strategies);
    const credentials = await o.credentials();
    this.credentials = { source: credentials.source, reference: credentials.reference, ...(credentials.address ? { address: credentials.address } : {}) };
    for (const n of credentials.notices) o.bus.publish({ type: 'runtime.notice', source: 'credentials', severity: n.severity, title: n.title, detail: n.detail });
    const endpoints = o.endpoints();
    const stack = new VenueSession({
      marketData: o.marketData,
      ...(o.onRaw ? { onRaw: o.onRaw } : {}),
      orderSide: o.orderSide(credentials),
      endpoints,
      clock: o.clock,
      bus: o.bus,
      journal: o.journal,
      series: plan.series,
      seed: o.seed,
      credentials,
      staleFeedMs: cfg.risk.staleFeedSec * 1000,
      allowSpotOnly: cfg.risk.allowSpotOnlyTrading,
      gates: [() => this.preflight.blockReason(), () => this.arming.blockReason()],
    });
    const strategies: HostedStrategy[] = cfg.strategies.map((s) => forInstance(s, () => ({ id: s.id, strategy: createStrategy(s.type, s.params) })));
    // Strategies read the venue's time (ours plus the measured GET /time offset): seconds left in a window and the
    // reference's timestamps are venue facts, so a skewed host clock never skews a decision.
    const host = new StrategyHost({ clock: stack.venueClock, bus: o.bus, risk: this.riskEngine, port: () => stack, strategies, ...(o.externalSignals ? { external: o.externalSignals } : {}) });
    this.stack = stack;
    this.host = host;
    this.plan = plan;
    this.preflight.setScope(plan.asset, plan.enabledKinds);
    this.unsubs.push(
      o.bus.on('runtime.error', (e) => this.riskEngine.recordError(e.source)),
      o.bus.on('market.resolved', (e) => {
        const settled = stack.tracker.positions.forWindow(e.slug);
        if (settled.length > 0) this.riskEngine.recordWindowResult(settled.reduce((s, p) => s + p.realizedUsd, 0));
      }),
      o.bus.on('preflight.report', () => this.arming.poll()),
    );
    this.health.start();
    this.triggers.start();
    try {
      await stack.start();
      this.haltLoop.start();
      await host.start();
    } catch (err) {
      // The runtime only stops components whose start finished: release what this one built before failing.
      await this.stop('start failed').catch(() => undefined);
      throw err;
    }
    if (o.preflight !== false) this.preflight.started(stack, endpoints, credentials);
  }

  async stop(reason: string): Promise<void> {
    this.haltLoop.stop();
    this.arming.reset(`stopped: ${reason}`.slice(0, 500));
    this.preflight.stop();
    this.health.stop();
    await this.host?.stop();
    this.triggers.stop();
    await this.stack?.stop(reason);
    for (const u of this.unsubs.splice(0)) u();
    this.host = undefined;
    this.stack = undefined;
  }

  async dispose(): Promise<void> {
    for (const u of this.permanent.splice(0)) u();
  }

  /** Why new exposure may not be opened in this window's series (switched off in the running config). */
  private seriesBlockReason(slug: string): string | undefined {
    const rec = this.stack?.window(slug);
    if (!rec) return undefined; // unknown windows are refused by the window rule
    const key = seriesKeyOfWindow(rec.window);
    const s = this.o.config().series.find((x) => `${x.asset}-${x.windowSec}` === key);
    if (!s) return `series ${key} was removed from the config: only exits are allowed`;
    return !s.enabled ? `series ${key} is switched off (series.${key}.enabled): only exits are allowed` : undefined;
  }

  private armingReadiness(): string | undefined {
    if (!this.stack || !this.host) return 'the bot is not running: start it first';
    if (!this.credentials?.address) return 'no signing key for this start (POLY_PRIVATE_KEY or POLY_PRIVATE_KEY_FILE)';
    if (this.o.killSwitch.state === 'halted') return 'the kill switch is halted: re-activate it (with a reason) first';
    return this.preflight.blockReason();
  }

  /** Cancel every order of ours: the ones we track, then venue-wide (catches orders the tracker does not know). */
  private async cancelEverything(): Promise<number> {
    const s = this.stack;
    if (!s) return 0;
    const known = await s.cancelAll();
    const rest = await s.venue.cancelAll();
    return known + rest.canceled.length;
  }
}

/** Run `fn` for one strategy instance; an error names the instance and its type. */
function forInstance<T>(s: Pick<StrategyInstanceConfig, 'id' | 'type'>, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`strategy ${s.id} (${s.type}): ${err instanceof Error ? err.message : String(err)}`);
  }
}
