/**
 * The balance the balance-drop alert watches, from the running venue session.
 *
 * Where the bot learns its balance: only a live venue has one (`LiveVenue.collateralUsd()`, the CLOB's
 * `/balance-allowance`, also read by the risk triggers' balance check). Paper fills never leave the process, so
 * paper mode has no balance at all; there the rule watches **paper equity** instead:
 *
 *   live    venue pUSD balance + USD held by our working BUY orders + open positions marked at the best bid
 *   paper   alerts.paperCapitalUsd + realised PnL (the ledger's total) + open positions at the best bid − their cost
 *
 * An open position without a bid counts at its cost. Known limits: a winning live position leaves the sum when its
 * window resolves and its payout reaches the balance only once redeemed; the ledger keeps the latest 500 windows,
 * so evicting an old settled window moves the paper figure by that window's realised PnL.
 *
 * Invariants: read-only; undefined while there is no reconciled session (or the venue does not answer).
 */
import type { Position, TrackedOrder } from '../../execution';
import type { BalanceSource } from './alert-rules';

/** The parts of a running venue session the equity reads (a VenueSession fits structurally). */
export interface EquityStack {
  readonly reconciled: boolean;
  readonly live: { collateralUsd(): Promise<number | undefined> } | undefined;
  readonly tracker: { open(): TrackedOrder[]; readonly positions: { all(): Position[]; totalRealizedUsd(): number } };
  readonly marketFeed: { book(tokenId: string): { bestBid(): number | undefined } | undefined };
}

export interface AccountEquityOptions {
  stack: () => EquityStack | undefined;
  /** USD held by working BUY orders (bot/host/risk-view.ts `workingBuyUsd`, handed in by the root). */
  workingBuyUsd: (orders: readonly TrackedOrder[]) => number;
  paperCapitalUsd: () => number;
}

export interface EquityReading {
  usd: number;
  source: BalanceSource;
}

export class AccountEquity {
  constructor(private readonly o: AccountEquityOptions) {}

  async read(): Promise<EquityReading | undefined> {
    const s = this.o.stack();
    if (!s?.reconciled) return undefined;
    if (s.live) {
      const collateral = await s.live.collateralUsd().catch(() => undefined);
      if (collateral === undefined || !Number.isFinite(collateral)) return undefined;
      return { usd: collateral + this.o.workingBuyUsd(s.tracker.open()) + marked(s, (p, bid) => p.shares * bid, (p) => p.costUsd), source: 'venue_balance' };
    }
    const unrealized = marked(s, (p, bid) => p.shares * bid - p.costUsd, () => 0);
    return { usd: this.o.paperCapitalUsd() + s.tracker.positions.totalRealizedUsd() + unrealized, source: 'paper_equity' };
  }
}

/** Sum over open (unsettled, long) positions: `atBid` when the book has a bid, `noBid` otherwise. */
function marked(s: EquityStack, atBid: (p: Position, bid: number) => number, noBid: (p: Position) => number): number {
  let sum = 0;
  for (const p of s.tracker.positions.all()) {
    if (p.settled || !(p.shares > 0)) continue;
    const bid = s.marketFeed.book(p.tokenId)?.bestBid();
    sum += bid === undefined ? noBid(p) : atBid(p, bid);
  }
  return sum;
}
