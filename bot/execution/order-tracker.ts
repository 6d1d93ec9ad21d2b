/**
 * Order tracker: the one order state table for live and paper, fills de-duplicated by (tradeId, orderId),
 * positions and realised PnL per token and window.
 *
 * Invariants:
 * - Every order is journaled in `created`/`submitted` before its bytes leave (callers: journal, then send).
 * - A clientTag is never reused: creating an order with a known tag throws.
 * - A fill changes the ledger once: repeats of the same (tradeId, orderId, status) are ignored; a status
 *   only moves forward (MATCHED < MINED|RETRYING < CONFIRMED|FAILED); FAILED reverses the fill; CONFIRMED
 *   only clears the provisional flag.
 * - Bounded: at most `maxOrders` orders and `maxFills` fills kept (oldest terminal / final ones evicted).
 */
import type { EventBus } from '../bus';
import type { Clock } from '../clock';
import { takerFeeUsd, type FeeSchedule } from '../core/fees';
import { crashPoint } from '../util/crash-points';
import type { ExecutionJournal, FillStatus, JournalFill, JournalOrder } from './journal';
import { clientIdFor, orderTransition, TERMINAL, type OrderState } from './order-state';
import { PositionBook, strategyPositions, type Position } from './positions';
import type { PlaceRequest, VenueFill, VenueOrder } from '../core/orders';

const RANK: Record<FillStatus, number> = { MATCHED: 1, MINED: 2, RETRYING: 2, CONFIRMED: 3, FAILED: 3 };

export interface TrackedOrder extends JournalOrder {
  conditionId: string;
}

export interface TokenInfo {
  windowSlug: string;
  fees: FeeSchedule;
}

export interface OrderTrackerDeps {
  clock: Clock;
  bus: EventBus;
  journal: ExecutionJournal;
  /** Window and fee schedule of a token (for fills of orders we did not place in this process). */
  tokenInfo: (tokenId: string) => TokenInfo | undefined;
  maxOrders?: number;
  maxFills?: number;
}

export class OrderTracker {
  private readonly orders = new Map<string, TrackedOrder>();
  private readonly byOrderId = new Map<string, string>();
  /** Client ids of non-terminal orders (open() is called on every strategy dispatch: no full scans). */
  private readonly openIds = new Set<string>();
  private readonly fills = new Map<string, JournalFill>();
  readonly positions = new PositionBook();
  readonly stats = { duplicateFills: 0, staleFillUpdates: 0, reversedFills: 0, unknownOrderFills: 0 };

  constructor(private readonly deps: OrderTrackerDeps) {}

  /** Create (and journal) a new order for an intent. */
  create(req: PlaceRequest): TrackedOrder {
    const clientId = clientIdFor(req.clientTag);
    if (this.orders.has(clientId)) throw new Error(`clientTag reused: ${req.clientTag}`);
    const now = this.deps.clock.nowMs();
    const o: TrackedOrder = {
      clientId,
      clientTag: req.clientTag,
      strategyId: req.strategyId,
      windowSlug: req.market.windowSlug,
      conditionId: req.market.conditionId,
      tokenId: req.market.tokenId,
      side: req.side,
      price: req.price,
      ...(req.size !== undefined ? { size: req.size } : {}),
      ...(req.usd !== undefined ? { usd: req.usd } : {}),
      orderType: req.orderType,
      postOnly: req.postOnly,
      state: 'created',
      filledSize: 0,
      createdMs: now,
      updatedMs: now,
    };
    this.orders.set(clientId, o);
    this.openIds.add(clientId);
    this.deps.journal.recordOrder(o);
    this.evictOrders();
    return o;
  }

  /** Window and fees of a token as the catalog knows them. */
  tokenInfoOf(tokenId: string): TokenInfo | undefined {
    return this.deps.tokenInfo(tokenId);
  }

  has(clientTag: string): boolean {
    return this.orders.has(clientIdFor(clientTag));
  }
  get(clientId: string): TrackedOrder | undefined {
    return this.orders.get(clientId);
  }
  getByTag(clientTag: string): TrackedOrder | undefined {
    return this.orders.get(clientIdFor(clientTag));
  }
  getByOrderId(orderId: string): TrackedOrder | undefined {
    const c = this.byOrderId.get(orderId);
    return c ? this.orders.get(c) : undefined;
  }
  all(): TrackedOrder[] {
    return [...this.orders.values()];
  }
  open(strategyId?: string): TrackedOrder[] {
    const out: TrackedOrder[] = [];
    for (const id of this.openIds) {
      const o = this.orders.get(id);
      if (o && (strategyId === undefined || o.strategyId === strategyId)) out.push(o);
    }
    return out;
  }
  /** Orders sent whose outcome is unknown (must be resolved by querying the venue). */
  unresolved(): TrackedOrder[] {
    return this.all().filter((o) => o.state === 'unknown' || o.state === 'submitted');
  }
  allFills(): JournalFill[] {
    return [...this.fills.values()];
  }

  /** Journal the order as submitted (with its venue id when known) – call right before sending. */
  markSubmitted(clientId: string, orderId?: string, salt?: number): void {
    const o = this.must(clientId);
    if (orderId) this.bindOrderId(o, orderId);
    if (salt !== undefined) o.salt = salt;
    this.setState(o, 'submitted');
  }

  bindOrderId(o: TrackedOrder, orderId: string): void {
    o.orderId = orderId;
    this.byOrderId.set(orderId, o.clientId);
  }

  /**
   * The order was rebuilt before any venue accepted it (the venue refused the first signing, e.g.
   * `order_version_mismatch`): journal the new venue id and salt before the new bytes are sent.
   */
  rebuilt(o: TrackedOrder, orderId: string, salt: number): void {
    this.bindOrderId(o, orderId);
    o.salt = salt;
    o.updatedMs = this.deps.clock.nowMs();
    this.deps.journal.recordOrder(o);
  }

  setState(o: TrackedOrder, to: OrderState, reason?: string): void {
    if (o.state === to && to !== 'partial') return;
    const prev = o.state;
    o.state = orderTransition(prev, to);
    if (TERMINAL.has(o.state)) this.openIds.delete(o.clientId);
    o.updatedMs = this.deps.clock.nowMs();
    if (reason) o.reason = reason;
    this.deps.journal.recordOrder(o);
    this.deps.bus.publish({
      type: 'order.state',
      clientId: o.clientId,
      clientTag: o.clientTag,
      ...(o.orderId ? { orderId: o.orderId } : {}),
      state: o.state,
      prevState: prev,
      ...(reason ? { reason } : {}),
    });
  }

  /** Move toward a state only if the table allows it (venue reports may arrive late or twice). */
  tryState(o: TrackedOrder, to: OrderState, reason?: string): boolean {
    if (o.state === to) return false;
    if (TERMINAL.has(o.state)) return false;
    try {
      this.setState(o, to, reason);
      return true;
    } catch {
      return false;
    }
  }

  /** An order report from the venue (REST or WS). */
  onVenueOrder(v: VenueOrder): void {
    const o = this.getByOrderId(v.orderId);
    if (!o) return;
    if (v.status === 'CANCELED' || v.status === 'CANCELED_MARKET_RESOLVED' || v.status === 'INVALID') {
      this.tryState(o, 'canceled', v.status.toLowerCase());
    } else if (v.status === 'MATCHED' && v.sizeMatched >= v.originalSize - 1e-9) {
      this.tryState(o, 'filled');
    } else if (v.status === 'UNMATCHED') {
      this.tryState(o, 'canceled', 'unmatched');
    } else if (v.sizeMatched > 0) {
      this.tryState(o, 'partial');
    } else if (v.status === 'LIVE' || v.status === 'DELAYED') {
      this.tryState(o, 'live');
    }
  }

  /** A fill of ours. Returns true when it changed the ledger. */
  onFill(f: VenueFill): boolean {
    const key = `${f.tradeId}:${f.orderId}`;
    const prev = this.fills.get(key);
    const order = this.getByOrderId(f.orderId);
    if (prev) {
      if (prev.status === f.status) {
        this.stats.duplicateFills++;
        return false;
      }
      if (RANK[f.status] <= RANK[prev.status] && !(prev.status === 'RETRYING' && f.status === 'MINED')) {
        this.stats.staleFillUpdates++;
        return false;
      }
      const updated: JournalFill = { ...prev, status: f.status };
      this.fills.set(key, updated);
      this.deps.journal.recordFill(updated);
      this.applyToPosition(updated);
      const tag = order?.clientTag ?? '';
      if (f.status === 'FAILED') {
        this.stats.reversedFills++;
        if (order) order.filledSize = Math.max(0, round2(order.filledSize - prev.size));
        this.deps.bus.publish({ type: 'order.fill_voided', clientTag: tag, tradeId: f.tradeId, reason: 'trade FAILED' });
      } else if (f.status === 'CONFIRMED') {
        this.deps.bus.publish({ type: 'order.fill_confirmed', clientTag: tag, tradeId: f.tradeId });
      }
      return true;
    }
    const info = order ? undefined : this.deps.tokenInfo(f.tokenId);
    const windowSlug = order?.windowSlug ?? info?.windowSlug;
    if (!windowSlug) {
      this.stats.unknownOrderFills++;
      return false;
    }
    const fees = info?.fees ?? this.deps.tokenInfo(f.tokenId)?.fees;
    const feeUsd = f.feeUsd ?? (f.liquidity === 'taker' && fees ? takerFeeUsd(fees, f.size, f.price) : 0);
    const fill: JournalFill = {
      key,
      tradeId: f.tradeId,
      orderId: f.orderId,
      ...(order ? { clientId: order.clientId } : {}),
      tokenId: f.tokenId,
      windowSlug,
      side: f.side,
      price: f.price,
      size: f.size,
      feeUsd,
      liquidity: f.liquidity,
      status: f.status,
      tsMs: f.tsMs,
    };
    this.fills.set(key, fill);
    crashPoint('after-fill-before-persist');
    this.deps.journal.recordFill(fill);
    this.evictFills();
    if (f.status === 'FAILED') return false;
    let remaining = 0;
    if (order) {
      order.filledSize = round2(order.filledSize + f.size);
      const target = order.size ?? order.filledSize;
      remaining = Math.max(0, round2(target - order.filledSize));
      const full = order.size === undefined || remaining <= 1e-9 || order.orderType === 'FOK' || order.orderType === 'FAK';
      if (!this.tryState(order, full ? 'filled' : 'partial')) this.deps.journal.recordOrder(order);
    }
    this.deps.bus.publish({
      type: 'order.filled',
      clientId: order?.clientId ?? '',
      clientTag: order?.clientTag ?? '',
      orderId: f.orderId,
      tradeId: f.tradeId,
      tokenId: f.tokenId,
      windowSlug,
      side: f.side,
      price: f.price,
      size: f.size,
      feeUsd,
      liquidity: f.liquidity,
      provisional: f.status !== 'CONFIRMED',
      remaining,
    });
    this.applyToPosition(fill);
    return true;
  }

  private applyToPosition(f: JournalFill): Position {
    const p = this.positions.upsertFill(f.windowSlug, f.tokenId, {
      key: f.key,
      side: f.side,
      price: f.price,
      size: f.size,
      feeUsd: f.feeUsd,
      status: f.status,
    });
    this.deps.bus.publish({
      type: 'position.changed',
      tokenId: p.tokenId,
      windowSlug: p.windowSlug,
      shares: p.shares,
      provisionalShares: p.provisionalShares,
      avgPrice: p.avgPrice,
      realizedUsd: p.realizedUsd,
      feesUsd: p.feesUsd,
    });
    return p;
  }

  /** One strategy's positions per token (folded from its own fills; settled windows excluded). */
  positionsFor(strategyId: string): Map<string, Position> {
    return strategyPositions(this.fills.values(), (f) => (f.clientId ? this.orders.get(f.clientId)?.strategyId : undefined) === strategyId, (w, t) => !!this.positions.get(w, t)?.settled);
  }

  /** Resolution: settle the window's positions (idempotent). */
  settle(windowSlug: string, winningTokenId: string): Position[] {
    const out = this.positions.settle(windowSlug, winningTokenId);
    for (const p of out) {
      this.deps.bus.publish({
        type: 'position.settled',
        tokenId: p.tokenId,
        windowSlug,
        shares: p.payoutUsd > 0 ? p.payoutUsd : 0,
        payoutUsd: p.payoutUsd,
        realizedUsd: p.realizedUsd,
      });
    }
    return out;
  }

  /** Rebuild state from the journal (process restart) – orders and fills, without publishing fills again. */
  restore(): void {
    for (const o of this.deps.journal.loadOrders()) {
      const t = { conditionId: '', ...o } as TrackedOrder;
      this.orders.set(o.clientId, t);
      if (TERMINAL.has(t.state)) this.openIds.delete(o.clientId);
      else this.openIds.add(o.clientId);
      if (o.orderId) this.byOrderId.set(o.orderId, o.clientId);
    }
    for (const f of this.deps.journal.loadFills()) {
      this.fills.set(f.key, f);
      this.positions.upsertFill(f.windowSlug, f.tokenId, { key: f.key, side: f.side, price: f.price, size: f.size, feeUsd: f.feeUsd, status: f.status });
    }
  }

  private must(clientId: string): TrackedOrder {
    const o = this.orders.get(clientId);
    if (!o) throw new Error(`unknown client id ${clientId}`);
    return o;
  }

  private evictOrders(): void {
    const max = this.deps.maxOrders ?? 20_000;
    if (this.orders.size <= max) return;
    for (const [k, o] of this.orders) {
      if (this.orders.size <= max) break;
      if (TERMINAL.has(o.state)) {
        this.orders.delete(k);
        if (o.orderId) this.byOrderId.delete(o.orderId);
      }
    }
  }

  private evictFills(): void {
    const max = this.deps.maxFills ?? 50_000;
    if (this.fills.size <= max) return;
    for (const [k, f] of this.fills) {
      if (this.fills.size <= max) break;
      if (f.status === 'CONFIRMED' || f.status === 'FAILED') this.fills.delete(k);
    }
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
