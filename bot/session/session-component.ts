/**
 * The trading subsystem as one runtime component: on start it builds the VenueSession (catalog, feeds,
 * tracker, venue, execution engine) over the configured endpoints, wires the risk engine and the kill switch
 * into it, and starts the strategy host; on stop it stops the host, then the stack (reverse order).
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
 * halting the kill switch issues cancel-all in the same turn; strategies see no events before the stack is up.
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { EventBus, Unsubscribe } from '../bus';
import type { Clock } from '../clock';
import { type ExecutionJournal, type OrderSideFactory, type ResolvedCredentials } from '../execution';
import { HealthMonitor } from '../health/health-monitor';
import type { WindowKind } from '../markets';
import type { KillSwitch } from '../risk/kill-switch';
import { PreflightMonitor } from '../preflight/preflight-monitor';
import { RiskEngine } from '../risk/risk-engine';
import type { RuntimeComponent } from '../core/component';
import { createRiskView } from '../host/risk-view';
import { StrategyHost, type HostedStrategy } from '../host/strategy-host';
import type { StrategyPort } from '../host/strategy-port';
import { VenueSession } from './venue-session';
import { type VenueEndpoints } from '../core';

export interface SessionComponentOptions {
  mode: 'paper' | 'live';
  clock: Clock;
  bus: EventBus;
  killSwitch: KillSwitch;
  journal: ExecutionJournal;
  risk: RiskConfig;
  asset: 'btc' | 'eth' | 'sol' | 'xrp';
  kinds: WindowKind[];
  strategies: () => HostedStrategy[];
  endpoints: () => VenueEndpoints;
  /** How reports name the venue (the root knows: 'simulator (embedded)', otherwise derived from the endpoints). */
  venueLabel?: string;
  /** Resolves the signing key / API credentials and the reference feed choice; runs before the stack is built. */
  credentials: () => Promise<ResolvedCredentials>;
  /** The order side for these credentials (the root's choice: paper or live). */
  orderSide: (credentials: ResolvedCredentials) => OrderSideFactory;
  seed: number;
}

export class SessionComponent implements RuntimeComponent {
  readonly name = 'trading';
  readonly riskEngine: RiskEngine;
  stack: VenueSession | undefined;
  /** Where the API credentials of the current start came from (no secrets). */
  credentials: { source: ResolvedCredentials['source']; reference: ResolvedCredentials['reference']; address?: string } | undefined;
  host: StrategyHost | undefined;
  /** Go/no-go checks of this component's starts (the latest report outlives a stop). */
  readonly preflight: PreflightMonitor;
  readonly health: HealthMonitor;
  private unsubs: Unsubscribe[] = [];

  constructor(private readonly o: SessionComponentOptions) {
    const port = () => this.stack as StrategyPort | undefined;
    const view = createRiskView({
      clock: o.clock,
      port,
      costUsd: (w?: string, s?: string) => this.host?.positions.costUsd(w, s) ?? 0,
      realizedTotalUsd: () => this.stack?.tracker.positions.totalRealizedUsd() ?? 0,
    });
    // Live: a NO-GO preflight (or one not finished yet) is a venue block the risk engine reports with its reason.
    const venueBlock = view.venueBlockReason;
    view.venueBlockReason = (p) => venueBlock(p) ?? this.preflight.blockReason();
    this.riskEngine = new RiskEngine({ clock: o.clock, bus: o.bus, killSwitch: o.killSwitch, config: o.risk, view });
    this.preflight = new PreflightMonitor({
      mode: o.mode, clock: o.clock, bus: o.bus, asset: o.asset, kinds: o.kinds, maxUsdPerTrade: () => this.riskEngine.config.maxUsdPerTrade,
      ...(o.venueLabel ? { venueLabel: o.venueLabel } : {}),
    });
    this.health = new HealthMonitor({
      clock: o.clock,
      bus: o.bus,
      referenceFeed: () => (this.stack?.refFeed ? this.stack.referenceFeed : 'none'),
      preflight: () => this.preflight.latest,
    });
  }

  async start(): Promise<void> {
    const o = this.o;
    const credentials = await o.credentials();
    this.credentials = { source: credentials.source, reference: credentials.reference, ...(credentials.address ? { address: credentials.address } : {}) };
    for (const n of credentials.notices) o.bus.publish({ type: 'runtime.notice', source: 'credentials', severity: n.severity, title: n.title, detail: n.detail });
    const endpoints = o.endpoints();
    const stack = new VenueSession({
      orderSide: o.orderSide(credentials),
      endpoints,
      clock: o.clock,
      bus: o.bus,
      journal: o.journal,
      asset: o.asset,
      kinds: o.kinds,
      seed: o.seed,
      credentials,
      staleFeedMs: o.risk.staleFeedSec * 1000,
      allowSpotOnly: o.risk.allowSpotOnlyTrading,
      gates: [() => this.preflight.blockReason()],
    });
    const host = new StrategyHost({ clock: o.clock, bus: o.bus, risk: this.riskEngine, port: () => stack, strategies: o.strategies() });
    this.stack = stack;
    this.host = host;
    this.unsubs.push(
      o.killSwitch.onHalt((s) => {
        if (s.state === 'halted') void stack.cancelAll().catch(() => 0);
      }),
      o.bus.on('runtime.error', (e) => this.riskEngine.recordError(e.source)),
      o.bus.on('position.changed', () => this.riskEngine.checkDailyLoss()),
      o.bus.on('position.settled', () => this.riskEngine.checkDailyLoss()),
      o.bus.on('market.resolved', (e) => {
        const settled = stack.tracker.positions.forWindow(e.slug);
        if (settled.length > 0) this.riskEngine.recordWindowResult(settled.reduce((s, p) => s + p.realizedUsd, 0));
      }),
    );
    this.health.start();
    try {
      await stack.start();
      await host.start();
    } catch (err) {
      // The runtime only stops components whose start finished: release what this one built before failing.
      await this.stop('start failed').catch(() => undefined);
      throw err;
    }
    this.preflight.started(stack, endpoints, credentials);
  }

  async stop(reason: string): Promise<void> {
    this.preflight.stop();
    this.health.stop();
    await this.host?.stop();
    await this.stack?.stop(reason);
    for (const u of this.unsubs.splice(0)) u();
    this.host = undefined;
    this.stack = undefined;
  }
}
