/**
 * The collateral balance source's port over a running venue session (structurally: a VenueSession fits), so the
 * composition needs one line: live reads the venue's `/balance-allowance` (LiveVenue.collateralUsd); paper reads the
 * ledger (bankroll = risk.paperBankrollUsd, unset: risk.maxTotalExposureUsd — the most the limits let the bot hold).
 * Open positions are valued at the book's mid, at their cost when the book has no mid.
 *
 * Known limit (live): a settled winning position leaves the valuation when its window resolves and reaches the venue
 * balance only once redeemed, so an unredeemed payout reads as a drawdown until then.
 *
 * Invariants: read-only; no session (or one not reconciled yet) = not ready, nothing held, nothing working.
 */
import type { RiskConfig } from '../../lib/schemas/config';
import type { FeeSchedule } from '../core/fees';
import type { CollateralPort } from './balance-source';

/** What the port reads of a ledger position (bot/execution's Position fits; risk sits below execution). */
export interface HeldPosition {
  tokenId: string;
  shares: number;
  costUsd: number;
  settled: boolean;
}

export interface CollateralStack<O = unknown> {
  readonly reconciled: boolean;
  readonly live: { collateralUsd(): Promise<number | undefined> } | undefined;
  readonly tracker: { open(): O[]; readonly positions: { all(): HeldPosition[]; totalRealizedUsd(): number } };
  readonly marketFeed: { book(tokenId: string): { mid(): number | undefined } | undefined };
  window(slug: string): { fees: FeeSchedule } | undefined;
}

export interface StackCollateralOptions<O> {
  mode: 'paper' | 'live';
  stack: () => CollateralStack<O> | undefined;
  risk: () => Pick<RiskConfig, 'paperBankrollUsd' | 'maxTotalExposureUsd'>;
  /** USD our working BUY orders can still spend (bot/host/risk-view.ts workingBuyUsd). */
  workingBuyUsd: (orders: readonly O[]) => number;
}

function open(s: CollateralStack<unknown> | undefined): HeldPosition[] {
  return (s?.tracker.positions.all() ?? []).filter((p) => !p.settled && p.shares > 0);
}

export function stackCollateralPort<O>(o: StackCollateralOptions<O>): CollateralPort {
  return {
    mode: o.mode,
    ready: () => o.stack()?.reconciled === true,
    venueBalanceUsd: async () => o.stack()?.live?.collateralUsd(),
    paperBankrollUsd: () => o.risk().paperBankrollUsd ?? o.risk().maxTotalExposureUsd,
    realizedUsd: () => o.stack()?.tracker.positions.totalRealizedUsd() ?? 0,
    openCostUsd: () => open(o.stack()).reduce((sum, p) => sum + p.costUsd, 0),
    workingBuyUsd: () => o.workingBuyUsd(o.stack()?.tracker.open() ?? []),
    positionValueUsd: () => {
      const s = o.stack();
      let sum = 0;
      for (const p of open(s)) {
        const mid = s?.marketFeed.book(p.tokenId)?.mid();
        sum += mid === undefined ? p.costUsd : p.shares * mid;
      }
      return sum;
    },
    feesOf: (slug) => o.stack()?.window(slug)?.fees,
  };
}
