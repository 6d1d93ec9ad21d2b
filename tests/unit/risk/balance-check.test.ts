/**
 * The pre-trade balance rule (`insufficient_balance`) through the risk engine: cost (notional + taker fee unless
 * post-only) plus working BUY notional against the collateral balance, at and around equality; SELLs pass; an unknown
 * live balance refuses every BUY; a refused order never reaches the venue (the host's approve-then-send path).
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { takerFeeUsd, DEFAULT_CRYPTO_FEES, NO_FEES } from '../../../bot/core/fees';
import { buyCostUsd, KillSwitch, RiskEngine, type CollateralSnapshot, type OrderProposal, type RiskView } from '../../../bot/risk';
import { openStore } from '../../../bot/store';
import { isUpdatable, riskConfigSchema } from '../../../lib/schemas/config';

function setup(balance: CollateralSnapshot) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const store = openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const view: RiskView = {
    windowExposureUsd: () => 0, strategyExposureUsd: () => 0, totalExposureUsd: () => 0, realizedTodayUsd: () => 0,
    windowBlockReason: () => undefined, feedBlockReason: () => undefined, venueBlockReason: () => undefined,
  };
  const state = { balance, fees: NO_FEES as typeof NO_FEES | undefined };
  const risk = new RiskEngine({
    clock, bus, killSwitch, view, config: riskConfigSchema.parse({ maxExposurePerWindowUsd: 10_000, maxTotalExposureUsd: 10_000, maxUsdPerTrade: 10_000, maxPositionPerTokenUsd: 10_000 }),
    collateral: { snapshot: () => state.balance, feesOf: () => state.fees },
  });
  // What the strategy host does: approve, and only an approved order is handed to the venue.
  const sent: OrderProposal[] = [];
  const place = (p: OrderProposal) => {
    const v = risk.approve(p);
    if (v.ok) sent.push(p);
    return v;
  };
  return { risk, state, sent, place };
}

const buy = (over: Partial<OrderProposal> = {}): OrderProposal => ({
  strategyId: 's', clientTag: 's|w|entry|0', windowSlug: 'w', tokenId: 'tok-up', side: 'BUY', price: 0.5, size: 10,
  orderType: 'GTC', postOnly: true, reducesExposure: false, ...over,
});

const venue = (balanceUsd: number | undefined, workingBuyUsd = 0, error?: string): CollateralSnapshot => ({ source: 'venue', balanceUsd, workingBuyUsd, ...(error ? { error } : {}) });

describe('insufficient_balance: cost + working BUYs against the balance', () => {
  it('passes a post-only BUY whose cost plus working BUYs equals the balance; refuses one cent over, naming both figures', () => {
    const { place, sent } = setup(venue(100, 40));
    expect(place(buy({ price: 0.5, size: 120 }))).toEqual({ ok: true }); // 60 + 40 = 100: exactly the balance
    const over = place(buy({ price: 0.5, size: 120.02 })); // 60.01 + 40 = 100.01
    expect(over).toEqual({ ok: false, rule: 'insufficient_balance', reason: 'BUY cost 60.01 USD + working BUYs 40.00 USD = 100.01 USD > venue balance 100.00 USD' });
    expect(place(buy({ price: 0.5, size: 119.98 }))).toEqual({ ok: true }); // a cent under
    expect(sent.map((p) => p.size)).toEqual([120, 119.98]); // the refused order never reached the venue
  });

  it('adds the taker fee to a BUY that may take (not post-only), with the market\'s schedule', () => {
    const { place, state } = setup(venue(50.5));
    state.fees = DEFAULT_CRYPTO_FEES;
    const fee = takerFeeUsd(DEFAULT_CRYPTO_FEES, 100, 0.5); // 100 × 0.07 × 0.25 = 1.75
    expect(fee).toBeCloseTo(1.75, 9);
    expect(buyCostUsd({ side: 'BUY', price: 0.5, size: 100, postOnly: false }, DEFAULT_CRYPTO_FEES)).toBeCloseTo(51.75, 9);
    expect(place(buy({ size: 100, postOnly: true }))).toEqual({ ok: true }); // 50 <= 50.5 without a fee
    expect(place(buy({ size: 100, postOnly: false, orderType: 'FOK' }))).toMatchObject({ ok: false, rule: 'insufficient_balance', reason: expect.stringMatching(/^BUY cost 51\.75 USD \(taker fee included\)/) });
    state.balance = venue(51.75);
    expect(place(buy({ size: 100, postOnly: false, orderType: 'FOK' }))).toEqual({ ok: true }); // fee included, exactly the balance
  });

  it('prices a market BUY by its USD amount, and assumes the default crypto fees when the market is unknown', () => {
    const { place, state } = setup(venue(10));
    state.fees = undefined;
    expect(place(buy({ size: undefined, usd: 10, postOnly: true }))).toEqual({ ok: true });
    expect(place(buy({ size: undefined, usd: 10, postOnly: false, orderType: 'FOK' }))).toMatchObject({ ok: false, rule: 'insufficient_balance' }); // + fee on 20 shares
  });

  it('lets SELLs through at any balance, even an unknown one', () => {
    const { place } = setup(venue(undefined));
    expect(place(buy({ side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
    const { place: place2 } = setup(venue(0, 0));
    expect(place2(buy({ side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
  });

  it('live: refuses every BUY while the balance was never read, with the read error when there is one', () => {
    const { place, sent } = setup(venue(undefined, 0, 'balance read failed: HTTP 503'));
    expect(place(buy({ size: 1, price: 0.01 }))).toEqual({
      ok: false, rule: 'insufficient_balance', reason: 'collateral balance unknown: not read from the venue yet (balance read failed: HTTP 503); BUY of 0.01 USD refused',
    });
    expect(sent).toEqual([]);
  });

  it('paper: names the paper cash', () => {
    const { place } = setup({ source: 'paper', balanceUsd: 5, workingBuyUsd: 0 });
    expect(place(buy({ size: 10.02, price: 0.5 }))).toMatchObject({ ok: false, reason: expect.stringMatching(/> paper cash 5\.00 USD$/) });
    expect(place(buy({ size: 10, price: 0.5 }))).toEqual({ ok: true });
  });

  it('has hot config fields with descriptions and the documented defaults', () => {
    const d = riskConfigSchema.parse({});
    expect(d).toMatchObject({ balanceDropAlertPct: 0.2, balanceDropAction: 'alert', balanceRefreshSec: 30 });
    expect(d.paperBankrollUsd).toBeUndefined();
    for (const k of ['balanceDropAlertPct', 'balanceDropAction', 'balanceRefreshSec', 'paperBankrollUsd']) {
      expect(isUpdatable(['risk', k]), k).toBe(true);
      expect((riskConfigSchema.shape as Record<string, { meta(): unknown }>)[k]!.meta(), k).toMatchObject({ description: expect.any(String) });
    }
    expect(riskConfigSchema.safeParse({ balanceDropAlertPct: 20 }).success).toBe(false); // a fraction, not a percentage
    expect(riskConfigSchema.safeParse({ balanceDropAction: 'panic' }).success).toBe(false);
  });
});
