/**
 * The Strategy page's read model (GET /api/strategy), owned by the runtime (`runtime.views.decisions`). Per strategy
 * instance, from `strategy.decision` events: a bounded decision log (final traded / skipped records are kept in
 * preference to `evaluated` ticks) and sampled series of p_hat / ask / EV for Up and Down and z (one point per second
 * at most, last 30 min, one series per window family). From the order events of the instance's client tags
 * (`<strategyId>|<window>|<purpose>|<n>`, risk denials included): its recent orders, fills, positions and realised PnL, folded with the
 * project's one position fold (bot/execution/positions.ts) and settled on `market.resolved`.
 *
 * Seeded from the bus history and subscribed in the same synchronous turn (nothing falls in between), like the
 * trading view. Invariants: read-only; every map and list bounded (`strategyViewLimits`, `MAX_WINDOWS`); the output
 * parses with `strategyViewSchema` (checked in tests); a throwing fold never reaches the bus.
 */
import type { BotEvent, DecisionAction, EventOf } from '../../lib/schemas/events';
import {
  appendPoint, pointOf, seriesKeyOf, strategyViewLimits as L,
  type DecisionRow, type DecisionSeries, type StrategyDetail, type StrategyFillRow, type StrategyInstanceRow, type StrategyOrderRow, type StrategyView,
} from '../../lib/schemas/strategy-view';
import { PositionBook } from '../execution/positions';
import type { LedgerFill } from '../execution/positions';
import { parseSlug } from '../markets';
import { parseClientTag } from '../strategies/intents';
import type { TimelineSource } from './feed-timeline';

/** Windows remembered for token outcomes and winners (a day of 5m + 15m windows is 384). */
const MAX_WINDOWS = 600;

/** An instance as configured (the route passes the running config's list; order is the page's picker order). */
export interface ConfiguredInstance {
  id: string;
  type: string;
  enabled: boolean;
  budgetUsd: number;
}

interface FillSlot {
  row: StrategyFillRow;
  tokenId: string;
}

interface InstanceLog {
  id: string;
  type: string | null;
  finals: DecisionRow[];
  evaluated: DecisionRow[];
  counts: Record<DecisionAction, number>;
  last: DecisionRow | undefined;
  series: Map<string, DecisionSeries>;
  orders: Map<string, StrategyOrderRow>;
  fills: Map<string, FillSlot>;
  book: PositionBook;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

function newInstance(id: string): InstanceLog {
  return {
    id, type: null, finals: [], evaluated: [], counts: { traded: 0, skipped: 0, evaluated: 0 }, last: undefined,
    series: new Map(), orders: new Map(), fills: new Map(), book: new PositionBook(L.positions),
  };
}

/** Insert-ordered map capped at `max` entries (oldest dropped). */
function setCapped<K, V>(m: Map<K, V>, k: K, v: V, max: number): void {
  m.delete(k);
  m.set(k, v);
  while (m.size > max) m.delete(m.keys().next().value as K);
}

export class DecisionLog {
  private readonly instances = new Map<string, InstanceLog>();
  private readonly tokens = new Map<string, { slug: string; outcome: 'up' | 'down' }>();
  private readonly winners = new Map<string, { winner: 'up' | 'down'; tokenId: string }>();
  private readonly sinceMs: number;
  private lastSeq = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly source: TimelineSource) {
    this.sinceMs = source.clock.nowMs();
    const { bus } = source;
    const seed = bus.history.recent(bus.history.size);
    if (seed[0]) this.sinceMs = Math.min(this.sinceMs, seed[0].tsRecvMs);
    for (const e of seed) this.safeRecord(e);
    this.unsubscribe = bus.onAny((e) => this.safeRecord(e));
  }

  private safeRecord(e: BotEvent): void {
    try {
      this.record(e);
    } catch {
      // a read model never breaks the bus
    }
  }

  private instance(id: string): InstanceLog | undefined {
    let log = this.instances.get(id);
    if (!log) {
      if (this.instances.size >= L.instances) return undefined;
      log = newInstance(id);
      this.instances.set(id, log);
    }
    return log;
  }

  private record(e: BotEvent): void {
    if (e.seq <= this.lastSeq) return; // history and live overlap never count twice
    this.lastSeq = e.seq;
    switch (e.type) {
      case 'strategy.decision':
        return this.onDecision(e);
      case 'market.discovered':
        setCapped(this.tokens, e.upTokenId, { slug: e.slug, outcome: 'up' }, MAX_WINDOWS * 2);
        setCapped(this.tokens, e.downTokenId, { slug: e.slug, outcome: 'down' }, MAX_WINDOWS * 2);
        return;
      case 'market.resolved':
        setCapped(this.winners, e.slug, { winner: e.winner, tokenId: e.winningTokenId }, MAX_WINDOWS);
        for (const log of this.instances.values()) log.book.settle(e.slug, e.winningTokenId);
        return;
      case 'order.state':
        return this.onOrderState(e);
      case 'risk.denied':
        return this.onDenied(e);
      case 'order.filled':
        return this.onFill(e);
      case 'order.fill_confirmed':
      case 'order.fill_voided':
        return this.onFillStatus(e.clientTag, e.tradeId, e.type === 'order.fill_confirmed' ? 'confirmed' : 'voided');
    }
  }

  private onDecision(e: EventOf<'strategy.decision'>): void {
    const r = e.record;
    const log = this.instance(r.strategyId);
    if (!log) return;
    log.type = r.strategyType;
    log.counts[r.action]++;
    const row: DecisionRow = { seq: e.seq, record: r, winner: null };
    log.last = row;
    (r.action === 'evaluated' ? log.evaluated : log.finals).push(row);
    if (log.finals.length > L.finals) log.finals.shift();
    while (log.finals.length + log.evaluated.length > L.decisions) (log.evaluated.length > 0 ? log.evaluated : log.finals).shift();
    const p = pointOf(r);
    if (!p) return;
    const key = seriesKeyOf(r.windowSlug);
    let s = log.series.get(key);
    if (!s) {
      if (log.series.size >= L.series) return;
      s = { key, points: [] };
      log.series.set(key, s);
    }
    appendPoint(s.points, p);
  }

  private ownerOf(clientTag: string): { log: InstanceLog; windowSlug: string; purpose: string } | undefined {
    const t = parseClientTag(clientTag);
    const log = t ? this.instance(t.strategyId) : undefined;
    return t && log ? { log, windowSlug: t.windowSlug, purpose: t.purpose } : undefined;
  }

  private order(log: InstanceLog, clientTag: string, windowSlug: string, purpose: string, atMs: number): StrategyOrderRow {
    const o = log.orders.get(clientTag) ?? {
      clientTag, windowSlug, purpose, state: 'created', reason: null, firstMs: atMs, updatedMs: atMs,
      side: null, outcome: null, price: null, size: null, usd: null, filledSize: 0, avgFillPrice: null,
    };
    setCapped(log.orders, clientTag, o, L.orders);
    return o;
  }

  private onOrderState(e: EventOf<'order.state'>): void {
    const own = this.ownerOf(e.clientTag);
    if (!own) return;
    const o = this.order(own.log, e.clientTag, own.windowSlug, own.purpose, e.tsEventMs);
    o.state = e.state;
    o.updatedMs = e.tsEventMs;
    if (e.reason) o.reason = e.reason.slice(0, 200);
  }

  /** An order the risk engine refused never reaches the tracker: it is listed as rejected with the rule. */
  private onDenied(e: EventOf<'risk.denied'>): void {
    const own = this.ownerOf(e.clientTag);
    if (!own) return;
    const o = this.order(own.log, e.clientTag, own.windowSlug, own.purpose, e.tsEventMs);
    o.state = 'rejected';
    o.updatedMs = e.tsEventMs;
    o.reason = `risk ${e.rule}: ${e.reason}`.slice(0, 200);
  }

  private onFill(e: EventOf<'order.filled'>): void {
    const own = this.ownerOf(e.clientTag);
    if (!own) return;
    const key = `${e.tradeId}|${e.clientTag}`;
    const prev = own.log.fills.get(key);
    const status = prev?.row.status === 'confirmed' || !e.provisional ? 'confirmed' : 'provisional';
    const row: StrategyFillRow = {
      tradeId: e.tradeId, clientTag: e.clientTag, windowSlug: e.windowSlug, outcome: this.tokens.get(e.tokenId)?.outcome ?? null,
      side: e.side, price: e.price, size: e.size, feeUsd: e.feeUsd, liquidity: e.liquidity, status, tsMs: e.tsEventMs,
    };
    setCapped(own.log.fills, key, { row, tokenId: e.tokenId }, L.fills);
    this.foldFill(own.log, row, e.tokenId);
    const o = this.order(own.log, e.clientTag, own.windowSlug, own.purpose, e.tsEventMs);
    o.side = e.side;
    o.outcome = row.outcome;
    if (!prev) {
      const filled = o.filledSize + e.size;
      o.avgFillPrice = r6(((o.avgFillPrice ?? 0) * o.filledSize + e.price * e.size) / filled);
      o.filledSize = r6(filled);
    }
    o.updatedMs = e.tsEventMs;
  }

  private onFillStatus(clientTag: string, tradeId: string, status: 'confirmed' | 'voided'): void {
    const own = this.ownerOf(clientTag);
    const slot = own?.log.fills.get(`${tradeId}|${clientTag}`);
    if (!own || !slot) return;
    slot.row.status = status;
    this.foldFill(own.log, slot.row, slot.tokenId);
  }

  private foldFill(log: InstanceLog, f: StrategyFillRow, tokenId: string): void {
    const fill: LedgerFill = { key: `${f.tradeId}|${f.clientTag}`, side: f.side, price: f.price, size: f.size, feeUsd: f.feeUsd, status: f.status === 'voided' ? 'FAILED' : f.status === 'confirmed' ? 'CONFIRMED' : 'MATCHED' };
    log.book.upsertFill(f.windowSlug, tokenId, fill);
    const w = this.winners.get(f.windowSlug);
    if (w) log.book.settle(f.windowSlug, w.tokenId);
  }

  /** Instances in picker order: the configured ones first (their order), then any others seen in events. */
  private instanceRows(configured: readonly ConfiguredInstance[]): StrategyInstanceRow[] {
    const row = (id: string, c: ConfiguredInstance | undefined): StrategyInstanceRow => {
      const log = this.instances.get(id);
      return {
        id, type: c?.type ?? log?.type ?? null, configured: !!c, enabled: c ? c.enabled : null, budgetUsd: c?.budgetUsd ?? null,
        decisions: log ? log.counts.traded + log.counts.skipped + log.counts.evaluated : 0,
        lastDecisionMs: log?.last?.record.atMs ?? null, lastAction: log?.last?.record.action ?? null,
      };
    };
    const out = configured.slice(0, L.instances).map((c) => row(c.id, c));
    for (const id of this.instances.keys()) if (out.length < L.instances && !out.some((r) => r.id === id)) out.push(row(id, undefined));
    return out;
  }

  private detail(id: string, type: string | null, nowMs: number): StrategyDetail {
    const log = this.instances.get(id) ?? newInstance(id);
    const winner = (slug: string) => this.winners.get(slug)?.winner ?? null;
    const decisions = [...log.finals, ...log.evaluated].sort((a, b) => b.seq - a.seq).map((d) => ({ ...d, winner: winner(d.record.windowSlug) }));
    const cutoff = nowMs - L.seriesWindowMs;
    const series = [...log.series.values()].map((s) => ({ key: s.key, points: s.points.filter((p) => p.tMs >= cutoff) }));
    const endOf = (slug: string) => parseSlug(slug)?.endMs ?? 0;
    const positions = log.book.all().sort((a, b) => Number(a.settled) - Number(b.settled) || endOf(b.windowSlug) - endOf(a.windowSlug)).slice(0, L.positions);
    const pnl = { realizedUsd: 0, feesUsd: 0, openCostUsd: 0, fills: 0, wins: 0, losses: 0 };
    const byWindow = new Map<string, number>();
    for (const p of log.book.all()) {
      pnl.realizedUsd += p.realizedUsd;
      pnl.feesUsd += p.feesUsd;
      if (!p.settled) pnl.openCostUsd += p.costUsd;
      else byWindow.set(p.windowSlug, (byWindow.get(p.windowSlug) ?? 0) + p.realizedUsd);
    }
    for (const v of byWindow.values()) {
      if (v >= 0.005) pnl.wins++;
      else if (v <= -0.005) pnl.losses++;
    }
    for (const f of log.fills.values()) if (f.row.status !== 'voided') pnl.fills++;
    return {
      id, type: type ?? log.type,
      decisions, counts: { ...log.counts }, series,
      orders: [...log.orders.values()].sort((a, b) => b.firstMs - a.firstMs || b.clientTag.localeCompare(a.clientTag)).map((o) => ({ ...o })),
      fills: [...log.fills.values()].map((f) => ({ ...f.row })).sort((a, b) => b.tsMs - a.tsMs),
      positions: positions.map((p) => ({
        windowSlug: p.windowSlug, tokenId: p.tokenId, outcome: this.tokens.get(p.tokenId)?.outcome ?? null, shares: p.shares, avgPrice: p.avgPrice,
        costUsd: p.costUsd, realizedUsd: p.realizedUsd, feesUsd: p.feesUsd, settled: p.settled, payoutUsd: p.payoutUsd,
      })),
      pnl: { ...pnl, realizedUsd: r6(pnl.realizedUsd), feesUsd: r6(pnl.feesUsd), openCostUsd: r6(pnl.openCostUsd) },
    };
  }

  /**
   * The view for one instance (`id`), or for the first instance when none is given. `configured` is the running
   * config's instance list (picker order, types, enabled flags). `strategy` is null when the id is neither configured
   * nor seen in events (the route answers 404) or when there is no instance at all.
   */
  snapshot(opts: { id?: string; configured?: readonly ConfiguredInstance[] } = {}): StrategyView {
    const nowMs = this.source.clock.nowMs();
    const instances = this.instanceRows(opts.configured ?? []);
    const pick = opts.id === undefined ? instances[0] : instances.find((r) => r.id === opts.id);
    return {
      nowMs,
      seq: this.source.bus.stats.lastSeq,
      sinceMs: this.sinceMs,
      instances,
      strategy: pick ? this.detail(pick.id, pick.type, nowMs) : null,
    };
  }

  /** Whether this instance is known (configured or seen in events). */
  has(id: string, configured: readonly ConfiguredInstance[] = []): boolean {
    return this.instances.has(id) || configured.some((c) => c.id === id);
  }

  dispose(): void {
    this.unsubscribe();
  }
}
