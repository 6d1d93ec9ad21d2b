/**
 * StrategyHost: runs strategy instances against the trading port. It maps bus events onto StrategyEvents,
 * builds a fresh StrategyContext for each dispatch (views updated before the strategy sees the event), and
 * carries out the intents: `place` through the risk engine and then the execution engine, `cancel` by tag or
 * window (this strategy's orders only), `decision` published as `strategy.decision`.
 *
 * Invariants:
 * - Strategies never run re-entrantly: events raised while a strategy runs (e.g. a synchronous rejection) are
 *   queued and delivered after it returns, in order.
 * - Every place intent ends in exactly one terminal event for the strategy: a risk or engine denial is delivered
 *   as `order.rejected`; venue outcomes arrive through order.* bus events (routed by the clientTag's strategy id).
 * - A throwing strategy is isolated: the error becomes `runtime.error`, other strategies keep running.
 * - A venue refusal for "not enough balance / allowance" pauses the strategy that hit it (its new orders are
 *   refused locally, cancels still work) and raises a notice with the fix. The order it saw refused is final: the
 *   execution engine already refreshed the balance and retried it once (bot/execution/balance-guard.ts). A restart
 *   (new host) un-pauses.
 * - `ctx.external` is the runtime's external signal map (bot/feeds/external, the `external` option), read once per
 *   delivered event; absent when the runtime polls none (a replay, a test).
 * - Instances change while running (config hot apply, `setStrategies`): a new instance starts at once (onStart), a
 *   removed one is stopped (onStop, its intents carried out) and its working orders are cancelled (its positions stay
 *   in the ledger until settlement); a kept instance keeps its state. Strategy budgets are the risk engine's state.
 */
import type { EventOf } from '../../lib/schemas/events';
import type { EventBus, Unsubscribe } from '../bus';
import type { CancelTimer, Clock } from '../clock';
import { orderMarketInfo } from '../markets';
import type { OrderProposal, RiskEngine } from '../risk/risk-engine';
import type { MarketView, StrategyContext } from '../strategies/context';
import type { StrategyEvent } from '../strategies/events';
import { parseClientTag, type Intent, type PlaceIntent } from '../strategies/intents';
import type { Strategy } from '../strategies/strategy';
import { StrategyPositions } from './strategy-positions';
import { openOrderViews, StrategyViewCache } from './strategy-views';
import type { StrategyPort } from './strategy-port';

/** The venue's refusal for a missing balance or approval (reference §2.7), in any of its spellings. */
const BALANCE_REFUSAL = /not enough balance|allowance/i;

export interface HostedStrategy {
  id: string;
  strategy: Strategy;
}

/**
 * Market and reference views of one event, the same for every strategy: built on first read (a strategy that returns
 * early costs nothing), from the host's view cache. A class (prototype getters), not an object literal with getters:
 * one is made per delivered event.
 */
class SharedViews {
  private marketsView: StrategyContext['markets'] | undefined;
  private openView: StrategyContext['openMarkets'];
  private lastSlug: string | undefined;
  private lastView: MarketView | undefined;
  private referenceView: StrategyContext['reference'] | undefined;
  private assetViews: Map<string, StrategyContext['reference']> | undefined;
  private externalView: StrategyContext['external'] | null = null;
  constructor(
    readonly nowMs: number,
    private readonly cache: StrategyViewCache,
    private readonly port: StrategyPort,
    private readonly externalSource?: () => StrategyContext['external'],
  ) {}
  get external(): StrategyContext['external'] {
    if (this.externalView === null) this.externalView = this.externalSource?.();
    return this.externalView;
  }
  get markets(): StrategyContext['markets'] {
    return (this.marketsView ??= this.cache.markets(this.port));
  }
  get openMarkets(): NonNullable<StrategyContext['openMarkets']> {
    return (this.openView ??= this.cache.openMarkets(this.port));
  }
  /** One window's view: from the list when it is built, else that window's alone. */
  market(slug: string): MarketView | undefined {
    if (this.marketsView) return findIn(this.marketsView, slug);
    // The cache hands back the same view while nothing moved (nothing moves during one event); the last one is kept
    // here too, as every strategy of a book event asks for the same window.
    if (this.lastSlug === slug) return this.lastView;
    this.lastSlug = slug;
    return (this.lastView = this.cache.market(this.port, slug));
  }
  get reference(): StrategyContext['reference'] {
    return (this.referenceView ??= this.cache.reference(this.port));
  }
  /** One asset's reference view (a strategy instance sees only its own asset's). */
  referenceOf(asset: string): StrategyContext['reference'] {
    this.assetViews ??= new Map();
    let v = this.assetViews.get(asset);
    if (!v) this.assetViews.set(asset, (v = this.cache.reference(this.port, asset)));
    return v;
  }
}

function findIn(list: readonly MarketView[], slug: string): MarketView | undefined {
  for (const m of list) if (m.slug === slug) return m;
  return undefined;
}

/** One strategy's StrategyContext for one dispatch; positions and open orders are built on first read. */
class HostContext implements StrategyContext {
  private own: StrategyContext['positions'] | undefined;
  private orders: StrategyContext['openOrders'] | undefined;
  readonly nowMs: number;
  constructor(
    readonly strategyId: string,
    /** The instance's asset (its config's `asset`); undefined = the primary reference. */
    private readonly asset: string | undefined,
    private readonly shared: SharedViews,
    private readonly allPositions: StrategyPositions,
    private readonly port: StrategyPort,
  ) {
    this.nowMs = shared.nowMs;
  }
  get markets(): StrategyContext['markets'] {
    return this.shared.markets;
  }
  get openMarkets(): NonNullable<StrategyContext['openMarkets']> {
    return this.shared.openMarkets;
  }
  market(slug: string): MarketView | undefined {
    return this.shared.market(slug);
  }
  get reference(): StrategyContext['reference'] {
    return this.asset !== undefined ? this.shared.referenceOf(this.asset) : this.shared.reference;
  }
  get positions(): StrategyContext['positions'] {
    return (this.own ??= this.allPositions.of(this.strategyId));
  }
  get openOrders(): StrategyContext['openOrders'] {
    return (this.orders ??= openOrderViews(this.port.openOrders(this.strategyId)));
  }
  get external(): StrategyContext['external'] {
    return this.shared.external;
  }
}

export interface StrategyHostOptions {
  clock: Clock;
  bus: EventBus;
  risk: RiskEngine;
  port: () => StrategyPort | undefined;
  strategies: HostedStrategy[];
  tickMs?: number;
  /** External signal values by id (the runtime's poller), passed to every strategy as `ctx.external`. */
  external?: () => StrategyContext['external'];
}

export class StrategyHost {
  readonly name = 'strategy-host';
  readonly positions = new StrategyPositions();
  readonly stats = { dispatched: 0, intents: 0, placed: 0, denied: 0, strategyErrors: 0 };
  /** Strategies paused by the venue's answer (id -> reason). */
  readonly paused = new Map<string, string>();
  private readonly unsubs: Unsubscribe[] = [];
  private tick: CancelTimer | undefined;
  private running = false;
  private busy = false;
  /** Views reused across events while their inputs are unchanged (host-wide: every strategy sees the same). */
  private readonly views = new StrategyViewCache();
  private readonly pending: { target: string | null; event: StrategyEvent }[] = [];

  constructor(private readonly o: StrategyHostOptions) {}

  get strategies(): readonly HostedStrategy[] {
    return this.o.strategies;
  }

  /**
   * Replace the running instances: ids in `next` that are new start now, ids missing from `next` stop (their working
   * orders are cancelled), kept ids keep their instance (the caller updates its config). Order follows `next`.
   */
  setStrategies(next: readonly HostedStrategy[]): { added: string[]; removed: string[] } {
    const keep = new Set(next.map((h) => h.id));
    const before = new Map(this.o.strategies.map((h) => [h.id, h]));
    const removed = this.o.strategies.filter((h) => !keep.has(h.id));
    const added = next.filter((h) => !before.has(h.id));
    for (const h of removed) {
      if (this.running) this.run(h, (ctx) => h.strategy.onStop(ctx));
      const port = this.o.port();
      for (const o of port?.openOrders(h.id) ?? []) void port!.cancel(o.clientTag).catch((err) => this.error(h, `cancel ${o.clientTag}: ${String(err)}`));
      this.paused.delete(h.id);
    }
    this.o.strategies = next.map((h) => before.get(h.id) ?? h);
    for (const h of added) if (this.running) this.run(h, (ctx) => h.strategy.onStart(ctx));
    return { added: added.map((h) => h.id), removed: removed.map((h) => h.id) };
  }

  async start(): Promise<void> {
    const { bus } = this.o;
    this.running = true;
    const all = (event: StrategyEvent) => this.deliver(null, event);
    this.unsubs.push(
      bus.on('market.state', (e) => {
        if (e.state === 'open') all({ kind: 'window.opened', slug: e.slug });
        else if (e.state === 'closing') all({ kind: 'window.closing', slug: e.slug });
        else if (e.state === 'closed') all({ kind: 'window.closed', slug: e.slug });
      }),
      bus.on('market.resolved', (e) => {
        all({ kind: 'window.resolved', slug: e.slug, winner: e.winner });
        this.positions.settleWindow(e.slug);
      }),
      bus.on('book.top', (e) => {
        const w = this.o.port()?.windowByToken(e.tokenId);
        if (w) all({ kind: 'book', slug: w.window.slug, tokenId: e.tokenId });
      }),
      bus.on('book.trade', (e) => {
        const w = this.o.port()?.windowByToken(e.tokenId);
        if (w) all({ kind: 'trade', slug: w.window.slug, tokenId: e.tokenId, price: e.price, size: e.size, side: e.side });
      }),
      bus.on('ref.price', (e) => {
        if (e.kind === 'live') all({ kind: 'reference', price: e.priceUsd, tsMs: e.tsEventMs });
      }),
      bus.on('order.state', (e) => this.onOrderState(e)),
      bus.on('order.filled', (e) => this.onFilled(e)),
      bus.on('order.fill_confirmed', (e) => {
        const owner = parseClientTag(e.clientTag)?.strategyId;
        if (owner) this.positions.confirm(owner, `${e.tradeId}|${e.clientTag}`);
      }),
      bus.on('order.fill_voided', (e) => {
        const owner = parseClientTag(e.clientTag)?.strategyId;
        if (!owner) return;
        this.positions.void(owner, `${e.tradeId}|${e.clientTag}`);
        this.deliver(owner, { kind: 'fill.voided', clientTag: e.clientTag, tradeId: e.tradeId });
      }),
    );
    for (const h of this.o.strategies) this.run(h, (ctx) => h.strategy.onStart(ctx));
    this.tick = this.o.clock.every(this.o.tickMs ?? 1_000, 'strategy-host.tick', () => all({ kind: 'tick' }));
  }

  async stop(): Promise<void> {
    for (const h of this.o.strategies) this.run(h, (ctx) => h.strategy.onStop(ctx));
    this.running = false;
    this.tick?.();
    this.tick = undefined;
    for (const u of this.unsubs.splice(0)) u();
    this.pending.length = 0;
  }

  /** Deliver an event to one strategy (target id) or all (null); queued while a strategy is running. */
  deliver(target: string | null, event: StrategyEvent): void {
    if (!this.running) return;
    this.pending.push({ target, event });
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.pending.length > 0) {
        const next = this.pending.shift()!;
        // Market and reference views are the same for every strategy: build them once per event.
        let shared: SharedViews | undefined;
        for (const h of this.o.strategies) {
          if (next.target !== null && next.target !== h.id) continue;
          this.stats.dispatched++;
          shared ??= this.sharedViews();
          if (!shared) break;
          this.run(h, next.event, shared);
        }
      }
    } finally {
      this.busy = false;
    }
  }

  context(h: HostedStrategy, shared = this.sharedViews()): StrategyContext | undefined {
    const port = this.o.port();
    if (!port || !shared) return undefined;
    return new HostContext(h.id, assetOf(h), shared, this.positions, port);
  }

  private sharedViews(): SharedViews | undefined {
    const port = this.o.port();
    if (!port) return undefined;
    return new SharedViews(this.o.clock.nowMs(), this.views, port, this.o.external);
  }

  /** Run a lifecycle hook (`fn`) or deliver one event to one strategy, then carry out its intents. */
  private run(h: HostedStrategy, what: ((ctx: StrategyContext) => Intent[]) | StrategyEvent, shared?: SharedViews): void {
    const ctx = this.context(h, shared);
    if (!ctx) return;
    let intents: Intent[];
    try {
      intents = typeof what === 'function' ? what(ctx) : h.strategy.onEvent(what, ctx);
    } catch (err) {
      this.stats.strategyErrors++;
      this.o.bus.publish({ type: 'runtime.error', source: `strategy:${h.id}`, message: err instanceof Error ? err.message : String(err) });
      return;
    }
    for (const intent of intents) this.execute(h, intent);
  }

  private execute(h: HostedStrategy, intent: Intent): void {
    this.stats.intents++;
    const port = this.o.port();
    if (intent.kind === 'decision') {
      this.o.bus.publish({ type: 'strategy.decision', record: intent.record });
      return;
    }
    if (intent.kind === 'signal') {
      this.o.bus.publish({ type: 'strategy.signal', record: intent.record });
      return;
    }
    if (!port) return;
    if (intent.kind === 'cancel') {
      const tags = 'clientTag' in intent ? [intent.clientTag] : port.openOrders(h.id).filter((o) => o.windowSlug === intent.allForWindow).map((o) => o.clientTag);
      for (const tag of tags) void port.cancel(tag).catch((err) => this.error(h, `cancel ${tag}: ${String(err)}`));
      return;
    }
    this.place(h, port, intent);
  }

  private place(h: HostedStrategy, port: StrategyPort, p: PlaceIntent): void {
    const reject = (reason: string) => {
      this.stats.denied++;
      this.deliver(h.id, { kind: 'order.rejected', clientTag: p.clientTag, reason });
    };
    if (parseClientTag(p.clientTag)?.strategyId !== h.id) return reject(`clientTag ${p.clientTag} does not belong to ${h.id}`);
    const paused = this.paused.get(h.id);
    if (paused) return reject(`paused: ${paused}`);
    const record = port.window(p.windowSlug);
    if (!record) return reject(`unknown window ${p.windowSlug}`);
    const outcome = p.tokenId === record.upTokenId ? 'up' : p.tokenId === record.downTokenId ? 'down' : undefined;
    if (!outcome) return reject(`token ${p.tokenId} is not in ${p.windowSlug}`);
    const held = this.positions.shares(h.id, p.tokenId);
    const proposal: OrderProposal = {
      strategyId: h.id,
      clientTag: p.clientTag,
      windowSlug: p.windowSlug,
      tokenId: p.tokenId,
      side: p.side,
      price: p.price,
      ...(p.size !== undefined ? { size: p.size } : {}),
      ...(p.usd !== undefined ? { usd: p.usd } : {}),
      orderType: p.orderType,
      postOnly: p.postOnly,
      reducesExposure: p.side === 'SELL' && (p.size ?? 0) <= held + 1e-9,
    };
    const verdict = this.o.risk.approve(proposal);
    if (!verdict.ok) return reject(`risk: ${verdict.reason}`);
    this.stats.placed++;
    void port
      .place({
        clientTag: p.clientTag,
        strategyId: h.id,
        market: orderMarketInfo(record, outcome),
        side: p.side,
        price: p.price,
        ...(p.size !== undefined ? { size: p.size } : {}),
        ...(p.usd !== undefined ? { usd: p.usd } : {}),
        orderType: p.orderType,
        postOnly: p.postOnly,
        ...(p.expiresMs !== undefined ? { expiresMs: p.expiresMs } : {}),
      })
      .then((res) => {
        if (!res.ok && !res.order) reject(res.reason);
      })
      .catch((err) => {
        this.error(h, `place ${p.clientTag}: ${String(err)}`);
        if (!port.openOrders(h.id).some((o) => o.clientTag === p.clientTag)) reject(String(err));
      });
  }

  private onOrderState(e: EventOf<'order.state'>): void {
    const owner = parseClientTag(e.clientTag)?.strategyId;
    if (!owner) return;
    if (e.state === 'live' && (e.prevState === 'submitted' || e.prevState === 'unknown')) this.deliver(owner, { kind: 'order.accepted', clientTag: e.clientTag });
    else if (e.state === 'canceled') this.deliver(owner, { kind: 'order.cancelled', clientTag: e.clientTag, ...(e.reason ? { reason: e.reason } : {}) });
    else if (e.state === 'rejected') {
      if (e.reason && BALANCE_REFUSAL.test(e.reason)) this.pause(owner, 'not enough balance / allowance at the venue');
      this.deliver(owner, { kind: 'order.rejected', clientTag: e.clientTag, reason: e.reason ?? 'rejected' });
    }
  }

  private pause(strategyId: string, reason: string): void {
    if (this.paused.has(strategyId)) return;
    this.paused.set(strategyId, reason);
    this.o.bus.publish({
      type: 'runtime.notice',
      source: `strategy:${strategyId}`,
      severity: 'danger',
      title: `${strategyId} paused: ${reason}`,
      detail: 'New orders of this strategy are refused (the engine already refreshed the balance and retried once). Fund the wallet with pUSD and set the exchange approvals (README, Going live; `npm run doctor` checks both), then restart the bot.',
    });
  }

  private onFilled(e: EventOf<'order.filled'>): void {
    const owner = parseClientTag(e.clientTag)?.strategyId;
    if (!owner) return;
    const key = `${e.tradeId}|${e.clientTag}`;
    const fresh = this.positions.applyFill(owner, e.windowSlug, e.tokenId, { key, side: e.side, price: e.price, size: e.size, feeUsd: e.feeUsd, provisional: e.provisional });
    if (!fresh) return;
    this.deliver(owner, {
      kind: 'order.filled',
      clientTag: e.clientTag,
      tradeId: e.tradeId,
      tokenId: e.tokenId,
      side: e.side,
      price: e.price,
      size: e.size,
      remaining: e.remaining,
      fee: e.feeUsd,
      provisional: e.provisional,
    });
  }

  private error(h: HostedStrategy, message: string): void {
    this.o.bus.publish({ type: 'runtime.error', source: `strategy-host:${h.id}`, message });
  }
}

/** The asset a strategy instance trades (every strategy config has `asset`); undefined when it says none. */
function assetOf(h: HostedStrategy): string | undefined {
  const a = (h.strategy.config as { asset?: unknown } | undefined)?.asset;
  return typeof a === 'string' ? a : undefined;
}
