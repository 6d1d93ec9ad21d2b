/**
 * Ledger collector: turns a replay's bus events into the ordered ledger (ledger-types.ts) and hashes it.
 *
 * - `order.state` into a terminal state (filled, canceled, rejected) -> one `order` entry; orders still working at
 *   the end are flushed by `finish()` in client-id order.
 * - `order.filled` -> a `fill` entry (the strategy is the clientTag's owner); fills fold into a per (strategy, token)
 *   position here, so that `market.resolved` can emit one `settle` entry per position of that window.
 * - `strategy.decision` with action traded / skipped -> a `decision` entry (evaluations are not ledger facts).
 *
 * Invariants: entries only carry simulated-clock times and venue-independent ids, so the same session replayed
 * twice (any speed, any chunk size) gives the same entries and the same `hash()`; the ledger is bounded
 * (`maxEntries`, default 2,000,000; beyond it entries are counted, not kept, and the hash still covers them).
 */
import { createHash, type Hash } from 'node:crypto';
import type { EventBus, Unsubscribe } from '../bus';
import type { TrackedOrder } from '../execution/order-tracker';
import type { VenueSession } from '../session/venue-session';
import { parseClientTag } from '../strategies/intents';
import type { LedgerEntry, LedgerOrder } from './ledger-types';

export interface LedgerCollectorOptions {
  bus: EventBus;
  /** The order tracker's record of a client id (details of an order at its terminal state). */
  order: (clientId: string) => TrackedOrder | undefined;
  /** Up or Down for a token, when the market is known. */
  outcomeOf: (tokenId: string) => 'up' | 'down' | undefined;
  maxEntries?: number;
}

interface Pos {
  strategyId: string;
  windowSlug: string;
  tokenId: string;
  shares: number;
  costUsd: number;
  realizedUsd: number;
  feesUsd: number;
}

const TERMINAL = new Set(['filled', 'canceled', 'rejected']);

export class LedgerCollector {
  /** The collector for a runtime's venue session: order details from its tracker, outcomes from its catalog. */
  static forSession(bus: EventBus, stack: Pick<VenueSession, 'tracker' | 'catalog'>): LedgerCollector {
    return new LedgerCollector({
      bus,
      order: (id) => stack.tracker.get(id),
      outcomeOf: (t) => {
        const r = stack.catalog.byToken(t);
        return r ? (r.upTokenId === t ? 'up' : 'down') : undefined;
      },
    });
  }

  readonly entries: LedgerEntry[] = [];
  dropped = 0;
  private readonly sha: Hash = createHash('sha256');
  private count = 0;
  private readonly done = new Set<string>();
  private readonly seen = new Map<string, string>();
  private readonly positions = new Map<string, Pos>();
  private readonly unsubs: Unsubscribe[];

  constructor(private readonly o: LedgerCollectorOptions) {
    const { bus } = o;
    this.unsubs = [
      bus.on('order.state', (e) => {
        this.seen.set(e.clientId, e.clientTag);
        if (TERMINAL.has(e.state)) this.orderEntry(e.clientId, e.tsEventMs);
      }),
      bus.on('order.filled', (e) => {
        const strategyId = parseClientTag(e.clientTag)?.strategyId ?? 'unknown';
        const outcome = o.outcomeOf(e.tokenId);
        this.push({
          kind: 'fill', tsMs: e.tsEventMs, strategyId, clientTag: e.clientTag, tradeId: e.tradeId, windowSlug: e.windowSlug, tokenId: e.tokenId,
          outcome, side: e.side, price: e.price, size: e.size, feeUsd: e.feeUsd, liquidity: e.liquidity,
        });
        this.fold(strategyId, e.windowSlug, e.tokenId, e.side, e.price, e.size, e.feeUsd);
      }),
      bus.on('market.resolved', (e) => {
        const settled = [...this.positions.values()].filter((p) => p.windowSlug === e.slug).sort((a, b) => (a.strategyId + a.tokenId < b.strategyId + b.tokenId ? -1 : 1));
        for (const p of settled) {
          const won = p.tokenId === e.winningTokenId;
          const payoutUsd = won ? p.shares : 0;
          this.push({
            kind: 'settle', tsMs: e.tsEventMs, strategyId: p.strategyId, windowSlug: p.windowSlug, tokenId: p.tokenId, outcome: o.outcomeOf(p.tokenId), won,
            shares: p.shares, payoutUsd, realizedUsd: p.realizedUsd + payoutUsd - p.costUsd - p.feesUsd,
          });
          this.positions.delete(`${p.strategyId}|${p.tokenId}`);
        }
      }),
      bus.on('strategy.decision', (e) => {
        const r = e.record;
        if (r.action === 'evaluated') return;
        const side = r.outcome ? r[r.outcome] : undefined;
        this.push({
          kind: 'decision', tsMs: e.tsEventMs, strategyId: r.strategyId, strategyType: r.strategyType, windowSlug: r.windowSlug, action: r.action, reason: r.reason,
          outcome: r.outcome, pHat: side?.pHat ?? r.pHat, ev: side?.ev, ask: side?.ask,
        });
      }),
    ];
  }

  /** Flush orders that never reached a terminal state (in client-id order) and stop listening. */
  finish(atMs: number): void {
    for (const id of [...this.seen.keys()].sort()) if (!this.done.has(id)) this.orderEntry(id, atMs);
    for (const u of this.unsubs.splice(0)) u();
  }

  /** sha256 over every entry's JSON line, in order. */
  hash(): string {
    return this.sha.copy().digest('hex');
  }

  get total(): number {
    return this.count;
  }

  /** Positions not settled (yet): open at the end of the session. */
  openPositions(): Pos[] {
    return [...this.positions.values()].filter((p) => p.shares > 1e-9);
  }

  private orderEntry(clientId: string, tsMs: number): void {
    if (this.done.has(clientId)) return;
    const t = this.o.order(clientId);
    if (!t) return;
    this.done.add(clientId);
    const entry: LedgerOrder = {
      kind: 'order', tsMs, strategyId: t.strategyId, clientTag: t.clientTag, windowSlug: t.windowSlug, tokenId: t.tokenId, outcome: this.o.outcomeOf(t.tokenId),
      side: t.side, orderType: t.orderType, postOnly: t.postOnly, price: t.price, size: t.size, usd: t.usd, filledSize: t.filledSize, state: t.state, reason: t.reason,
    };
    this.push(entry);
  }

  private fold(strategyId: string, windowSlug: string, tokenId: string, side: 'BUY' | 'SELL', price: number, size: number, feeUsd: number): void {
    const key = `${strategyId}|${tokenId}`;
    const p = this.positions.get(key) ?? { strategyId, windowSlug, tokenId, shares: 0, costUsd: 0, realizedUsd: 0, feesUsd: 0 };
    p.feesUsd += feeUsd;
    if (side === 'BUY') {
      p.shares += size;
      p.costUsd += price * size;
    } else {
      const sold = Math.min(size, p.shares);
      const avg = p.shares > 0 ? p.costUsd / p.shares : 0;
      p.realizedUsd += sold * (price - avg);
      p.costUsd -= avg * sold;
      p.shares -= sold;
    }
    this.positions.set(key, p);
  }

  private push(e: LedgerEntry): void {
    this.count++;
    this.sha.update(JSON.stringify(e));
    this.sha.update('\n');
    if (this.entries.length < (this.o.maxEntries ?? 2_000_000)) this.entries.push(e);
    else this.dropped++;
  }
}
