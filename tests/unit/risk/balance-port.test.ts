/**
 * The collateral port over a venue session: paper bankroll (risk.paperBankrollUsd, unset = maxTotalExposureUsd),
 * realised PnL and open cost from the ledger, open positions at mid (cost without a book), settled positions left out,
 * the market's fees, and nothing before the session is reconciled.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CRYPTO_FEES } from '../../../bot/core/fees';
import type { Position, TrackedOrder } from '../../../bot/execution';
import { stackCollateralPort, type CollateralStack } from '../../../bot/risk';
import { riskConfigSchema } from '../../../lib/schemas/config';

const pos = (tokenId: string, shares: number, costUsd: number, settled = false): Position =>
  ({ windowSlug: 'w', tokenId, shares, provisionalShares: 0, costUsd, avgPrice: costUsd / shares, realizedUsd: 0, feesUsd: 0, settled, payoutUsd: 0 });

function stackOf(positions: Position[], mids: Record<string, number | undefined>, reconciled = true): CollateralStack<TrackedOrder> {
  return {
    reconciled,
    live: undefined,
    tracker: { open: () => [] as TrackedOrder[], positions: { all: () => positions, totalRealizedUsd: () => -7 } },
    marketFeed: { book: (t) => (t in mids ? { mid: () => mids[t] } : undefined) },
    window: (slug) => (slug === 'w' ? { fees: DEFAULT_CRYPTO_FEES } : undefined),
  };
}

describe('stackCollateralPort', () => {
  it('paper: bankroll defaults to the total exposure cap, a configured one wins; ledger figures; positions at mid or cost', () => {
    const risk = { current: riskConfigSchema.parse({ maxTotalExposureUsd: 500 }) };
    const stack = stackOf([pos('a', 10, 4), pos('b', 20, 10), pos('c', 5, 3, true)], { a: 0.6, b: undefined });
    const port = stackCollateralPort({ mode: 'paper', stack: () => stack, risk: () => risk.current, workingBuyUsd: () => 2.5 });
    expect(port.paperBankrollUsd()).toBe(500);
    risk.current = riskConfigSchema.parse({ maxTotalExposureUsd: 500, paperBankrollUsd: 120 });
    expect(port.paperBankrollUsd()).toBe(120);
    expect(port.realizedUsd()).toBe(-7);
    expect(port.openCostUsd()).toBe(14); // the settled position is not open
    expect(port.positionValueUsd()).toBeCloseTo(10 * 0.6 + 10, 9); // b has a book without a mid: at cost
    expect(port.workingBuyUsd()).toBe(2.5);
    expect(port.feesOf!('w')).toBe(DEFAULT_CRYPTO_FEES);
    expect(port.feesOf!('other')).toBeUndefined();
    expect(port.ready()).toBe(true);
  });

  it('is not ready without a reconciled session, and holds nothing without one', async () => {
    const port = stackCollateralPort({ mode: 'live', stack: () => undefined, risk: () => riskConfigSchema.parse({}), workingBuyUsd: () => 0 });
    expect(port.ready()).toBe(false);
    expect(port.openCostUsd()).toBe(0);
    expect(await port.venueBalanceUsd!()).toBeUndefined();
    const notYet = stackCollateralPort({ mode: 'live', stack: () => stackOf([], {}, false), risk: () => riskConfigSchema.parse({}), workingBuyUsd: () => 0 });
    expect(notYet.ready()).toBe(false);
  });
});
