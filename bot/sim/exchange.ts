/**
 * Exchange: the simulated CLOB's order engine. Accepts validated orders (users and the synthetic crowd), matches
 * them by price-time priority on the unified book, moves cash and tokens in the ledger, charges the taker fee,
 * records user trades and drives their settlement lifecycle, and publishes book, trade and user frames.
 *
 * Invariants:
 * - Every fill executes at the resting order's price; only the taker pays the fee (takerFeeMicro, 5 decimals).
 * - A resting user BUY reserves remaining x price of collateral; a resting SELL reserves its tokens.
 * - FOK fills completely or not at all; FAK keeps what matched; GTC/GTD rest the remainder; post-only never takes.
 * - The fee audit ring holds at most 10,000 entries.
 */
import type { Clock } from '../clock';
import { RingBuffer } from '../bus/ring-buffer';
import { type BookOrder, type Outcome, type OrderSide, ownPrice, unifiedPlacement } from './book';
import { takerFeeMicro } from './fees';
import type { SimHub } from './hub';
import type { SimIds } from './ids';
import { type Ledger, SYNTHETIC } from './ledger';
import type { SimMarket } from './market';
import type { MarketPublisher } from './market-frames';
import { crosses, groupByLevel, planFills, type PlannedFill } from './matching';
import { BoundedStore, type MakerFill, type OrderTypeName, renderOrderEvent, type TradeRecord, type UserOrder, ZERO_OWNER } from './records';
import type { TradeLifecycle } from './trade-lifecycle';

export const SYNTHETIC_ADDRESS = '0x5111111111111111111111111111111111111111';
const LOT = 10_000;

export interface AcceptedOrder {
  id: string;
  owner: string;
  makerAddress: string;
  market: SimMarket;
  outcome: Outcome;
  side: OrderSide;
  ownPriceMilli: number;
  sharesMicro: number;
  budgetMicro?: number;
  orderType: OrderTypeName;
  postOnly: boolean;
  expiration: string;
  /** The signed order's salt (decimal string); the crowd's synthetic orders have none. */
  salt?: string;
}

export type SubmitResult =
  | { ok: true; status: 'live' | 'matched'; makingMicro: number; takingMicro: number; tradeIds: string[]; txHashes: string[] }
  | { ok: false; error: string };

export interface FeeAudit {
  sizeMicro: number;
  priceMilli: number;
  feeMicro: number;
  rate: number;
}

export class Exchange {
  readonly orders = new BoundedStore<UserOrder>(20_000, (o) => o.status !== 'LIVE');
  readonly trades = new BoundedStore<TradeRecord>(20_000, (t) => t.status === 'CONFIRMED' || t.status === 'FAILED');
  readonly feeAudit = new RingBuffer<FeeAudit>(10_000);
  feesCollectedMicro = 0;
  /** Set by the fault layer: returns true if the next user trade should go MATCHED -> FAILED. */
  shouldFailTrade: () => boolean = () => false;
  private syntheticSeq = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ledger: Ledger,
    private readonly hub: SimHub,
    private readonly publisher: MarketPublisher,
    private readonly ids: SimIds,
    private readonly lifecycle: TradeLifecycle,
  ) {}

  submit(o: AcceptedOrder): SubmitResult {
    const m = o.market;
    const nowMs = this.clock.nowMs();
    const place = unifiedPlacement(o.outcome, o.side, o.ownPriceMilli);
    if (o.postOnly && crosses(m.book, place.bookSide, place.priceMilli)) return { ok: false, error: 'invalid post-only order: order crosses book' };
    const plan = o.postOnly
      ? { fills: [] as PlannedFill[], filledMicro: 0 }
      : planFills(m.book, { outcome: o.outcome, bookSide: place.bookSide, limitMilli: place.priceMilli, sharesMicro: o.sharesMicro, budgetMicro: o.budgetMicro });
    if (o.orderType === 'FOK' && !this.fokComplete(o, plan.fills)) return { ok: false, error: "order couldn't be fully filled. FOK orders are fully filled or killed." };
    if (o.orderType === 'FAK' && plan.filledMicro === 0) {
      return { ok: false, error: 'no orders found to match with FAK order. FAK orders are partially filled or killed if no match is found.' };
    }
    const isUser = o.owner !== ZERO_OWNER;
    const rec: UserOrder = {
      id: o.id,
      owner: o.owner,
      makerAddress: o.makerAddress,
      market: m,
      tokenId: m.tokenFor(o.outcome),
      outcome: o.outcome,
      side: o.side,
      ownPriceMilli: o.ownPriceMilli,
      originalMicro: o.sharesMicro,
      matchedMicro: 0,
      status: 'LIVE',
      orderType: o.orderType,
      expiration: o.expiration,
      createdAtSec: Math.floor(nowMs / 1000),
      associateTrades: [],
      ...(o.salt !== undefined ? { salt: o.salt } : {}),
    };
    if (isUser) this.orders.put(rec);
    const tradeIds: string[] = [];
    const txHashes: string[] = [];
    let making = 0;
    let taking = 0;
    for (const level of groupByLevel(plan.fills)) {
      const t = this.executeLevel(rec, level, isUser);
      tradeIds.push(t.id);
      txHashes.push(t.txHash);
      const cash = (t.sizeMicro * t.priceMilli) / 1000;
      making += o.side === 'BUY' ? cash : t.sizeMicro;
      taking += o.side === 'BUY' ? t.sizeMicro : cash;
    }
    const remaining = o.sharesMicro - rec.matchedMicro;
    const rests = (o.orderType === 'GTC' || o.orderType === 'GTD') && remaining >= LOT && (o.budgetMicro === undefined);
    if (rests) this.rest(rec, place.bookSide, place.priceMilli, remaining, isUser);
    else rec.status = 'MATCHED';
    if (isUser && rests) this.hub.publishUser(o.owner, m.conditionId, renderOrderEvent(rec, 'PLACEMENT', nowMs));
    if (isUser && rec.matchedMicro > 0) this.hub.publishUser(o.owner, m.conditionId, renderOrderEvent(rec, 'UPDATE', nowMs));
    this.publisher.flush(m, nowMs);
    if (plan.fills.length > 0) this.publisher.snapshots(m, nowMs);
    return { ok: true, status: rec.matchedMicro > 0 ? 'matched' : 'live', makingMicro: Math.round(making), takingMicro: Math.round(taking), tradeIds, txHashes };
  }

  /** The synthetic crowd only BUYS (a sell quote is a BUY of the other outcome). */
  submitSynthetic(m: SimMarket, outcome: Outcome, ownPriceMilli: number, sharesMicro: number, type: 'GTC' | 'FAK'): SubmitResult {
    return this.submit({
      id: this.ids.syntheticOrderId(++this.syntheticSeq),
      owner: ZERO_OWNER,
      makerAddress: SYNTHETIC_ADDRESS,
      market: m,
      outcome,
      side: 'BUY',
      ownPriceMilli,
      sharesMicro,
      orderType: type,
      postOnly: false,
      expiration: '0',
    });
  }

  /** Add a synthetic resting order without matching (maker quotes; caller guarantees it does not cross). */
  restSynthetic(m: SimMarket, outcome: Outcome, ownPriceMilli: number, sharesMicro: number): BookOrder {
    const place = unifiedPlacement(outcome, 'BUY', ownPriceMilli);
    const b: BookOrder = {
      id: this.ids.syntheticOrderId(++this.syntheticSeq),
      owner: ZERO_OWNER,
      account: SYNTHETIC,
      outcome,
      side: 'BUY',
      bookSide: place.bookSide,
      priceMilli: place.priceMilli,
      remainingMicro: sharesMicro,
      originalMicro: sharesMicro,
      seq: m.book.nextSeq(),
    };
    m.book.add(b);
    return b;
  }

  cancel(o: UserOrder, status: 'CANCELED' | 'CANCELED_MARKET_RESOLVED' = 'CANCELED'): void {
    if (o.status !== 'LIVE') return;
    const r = o.resting;
    if (r) {
      o.market.book.remove(r);
      this.release(o, r.remainingMicro);
      o.resting = undefined;
    }
    o.cancelExpiry?.();
    o.status = status;
    const now = this.clock.nowMs();
    this.hub.publishUser(o.owner, o.market.conditionId, renderOrderEvent(o, 'CANCELLATION', now));
    this.publisher.flush(o.market, now);
  }

  private fokComplete(o: AcceptedOrder, fills: PlannedFill[]): boolean {
    const filled = fills.reduce((s, f) => s + f.micro, 0);
    if (filled >= o.sharesMicro - (LOT - 1)) return true;
    if (o.budgetMicro === undefined) return false;
    const spent = fills.reduce((s, f) => s + (f.micro * ownPrice(o.outcome, f.levelMilli)) / 1000, 0);
    return o.budgetMicro - spent < (LOT * o.ownPriceMilli) / 1000;
  }

  private rest(rec: UserOrder, bookSide: 'bid' | 'ask', priceMilli: number, remaining: number, isUser: boolean): void {
    const b: BookOrder = {
      id: rec.id,
      owner: rec.owner,
      account: isUser ? rec.makerAddress.toLowerCase() : SYNTHETIC,
      outcome: rec.outcome,
      side: rec.side,
      bookSide,
      priceMilli,
      remainingMicro: remaining,
      originalMicro: rec.originalMicro,
      seq: rec.market.book.nextSeq(),
    };
    rec.resting = b;
    rec.market.book.add(b);
    if (rec.orderType === 'GTD' && isUser) {
      // The venue drops a GTD order one minute before its stated expiration.
      rec.cancelExpiry = this.clock.at(Number(rec.expiration) * 1000 - 60_000, `sim.gtd.${rec.id}`, () => this.cancel(rec));
    }
    if (rec.side === 'BUY') this.ledger.reserveCash(b.account, (remaining * rec.ownPriceMilli) / 1000);
    else this.ledger.reserveTokens(b.account, rec.tokenId, remaining);
  }

  private release(o: UserOrder, micro: number): void {
    const acct = o.makerAddress.toLowerCase();
    if (o.side === 'BUY') this.ledger.releaseCash(acct, (micro * o.ownPriceMilli) / 1000);
    else this.ledger.releaseTokens(acct, o.tokenId, micro);
  }

  private executeLevel(taker: UserOrder, level: PlannedFill[], takerIsUser: boolean): TradeRecord {
    const m = taker.market;
    const L = level[0]!.levelMilli;
    const undo: (() => void)[] = [];
    const apply = (acct: string, token: string, cash: number, tokens: number) => {
      this.ledger.apply(acct, token, cash, tokens);
      undo.push(() => this.ledger.apply(acct, token, -cash, -tokens));
    };
    const makers: MakerFill[] = [];
    let size = 0;
    for (const f of level) {
      const r = f.resting;
      const pM = ownPrice(r.outcome, L);
      const tokenM = m.tokenFor(r.outcome);
      const cash = (f.micro * pM) / 1000;
      if (r.side === 'BUY') apply(r.account, tokenM, -cash, f.micro);
      else apply(r.account, tokenM, cash, -f.micro);
      m.book.fill(r, f.micro);
      size += f.micro;
      const userMaker = r.owner !== ZERO_OWNER ? this.orders.get(r.id) : undefined;
      if (userMaker) {
        this.release(userMaker, f.micro);
        userMaker.matchedMicro += f.micro;
        if (userMaker.matchedMicro >= userMaker.originalMicro) {
          userMaker.status = 'MATCHED';
          userMaker.resting = undefined;
          userMaker.cancelExpiry?.();
        }
      }
      makers.push({ orderId: r.id, owner: r.owner, makerAddress: userMaker ? userMaker.makerAddress : SYNTHETIC_ADDRESS, outcome: r.outcome, side: r.side, ownPriceMilli: pM, micro: f.micro });
    }
    const pT = ownPrice(taker.outcome, L);
    const tokenT = m.tokenFor(taker.outcome);
    const fee = takerFeeMicro(size, pT, m.fees);
    const cashT = (size * pT) / 1000;
    const takerAcct = takerIsUser ? taker.makerAddress.toLowerCase() : SYNTHETIC;
    if (taker.side === 'BUY') apply(takerAcct, tokenT, -cashT - fee, size);
    else apply(takerAcct, tokenT, cashT - fee, -size);
    taker.matchedMicro += size;
    this.feesCollectedMicro += fee;
    undo.push(() => (this.feesCollectedMicro -= fee));
    this.feeAudit.push({ sizeMicro: size, priceMilli: pT, feeMicro: fee, rate: m.fees.rate });
    const nowMs = this.clock.nowMs();
    const t: TradeRecord = {
      id: this.ids.nextTradeId(),
      takerOrderId: taker.id,
      takerOwner: taker.owner,
      takerAddress: takerIsUser ? taker.makerAddress : SYNTHETIC_ADDRESS,
      market: m,
      outcome: taker.outcome,
      side: taker.side,
      sizeMicro: size,
      priceMilli: pT,
      feeMicro: fee,
      status: 'MATCHED',
      matchTimeMs: nowMs,
      lastUpdateMs: nowMs,
      txHash: this.ids.nextTxHash(),
      makers,
      reverse: () => {
        if (m.status === 'resolved') return;
        for (const u of undo.reverse()) u();
      },
    };
    m.lastTradeMilli = L;
    m.lastTradeSide = taker.side;
    this.publisher.lastTrade(m, taker.outcome, pT, size, taker.side, t.txHash, nowMs);
    const userInvolved = takerIsUser || makers.some((x) => x.owner !== ZERO_OWNER);
    if (userInvolved) {
      taker.associateTrades.push(t.id);
      for (const x of makers) {
        const uo = x.owner !== ZERO_OWNER ? this.orders.get(x.orderId) : undefined;
        if (!uo) continue;
        uo.associateTrades.push(t.id);
        this.hub.publishUser(uo.owner, m.conditionId, renderOrderEvent(uo, 'UPDATE', nowMs));
      }
      this.trades.put(t);
      this.lifecycle.start(t, this.shouldFailTrade());
    }
    return t;
  }
}
