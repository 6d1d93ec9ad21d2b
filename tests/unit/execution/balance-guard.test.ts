/**
 * Balance refusals (bot/execution/balance-guard.ts, battery B9) on a SimClock with a real EventBus:
 * `resizeToConfirmed` (what the confirmed balance pays for, never more than asked nor than the balance, 2-decimal
 * sizes, the venue minimum, the taker fee on takers only), which balance an order draws on, the refusal text, and
 * the BalanceGuard's refresh lock, 10-minute block (buys, or sells of one token), and its one danger notice.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { DEFAULT_CRYPTO_FEES, NO_FEES, limitOrderAmounts, marketOrderAmounts, type PlaceRequest } from '../../../bot/core';
import { takerFeeUsd as simTakerFeeUsd } from '../../../bot/sim/fees';
import { BalanceGuard, balanceAssetOf, isBalanceRefusal, resizeToConfirmed } from '../../../bot/execution/balance-guard';
import { Prng } from '../../../bot/util/prng';

const T0 = 1_791_241_800_000;
const market = { windowSlug: 'btc-updown-5m-1791241800', conditionId: '0x' + 'cd'.repeat(32), tokenId: '111', tickSize: '0.01' as const, minOrderSize: 5, negRisk: false, version: 'v1' as const, fees: DEFAULT_CRYPTO_FEES };
const otherToken = { ...market, tokenId: '222' };
const makerBuy: PlaceRequest = { clientTag: 'tag-1', strategyId: 's', market, side: 'BUY', price: 0.53, size: 20, orderType: 'GTC', postOnly: true };
const takerBuy: PlaceRequest = { clientTag: 'tag-2', strategyId: 's', market, side: 'BUY', price: 0.53, usd: 10, orderType: 'FOK', postOnly: false };
const sell: PlaceRequest = { clientTag: 'tag-3', strategyId: 's', market, side: 'SELL', price: 0.6, size: 10, orderType: 'GTC', postOnly: true };

/** One cent (or share hundredth) more, without floating-point drift. */
const plusCent = (x: number) => Math.round(x * 100 + 1) / 100;
const twoDecimals = (x: number) => Math.abs(Math.round(x * 100) - x * 100) < 1e-6;

/**
 * What the venue requires for a BUY, computed as the simulator's order check does (bot/sim/order-checks.ts) from
 * the amounts the order is signed with: the maker amount plus, unless post-only, the taker fee on its shares.
 */
function buyCost(r: PlaceRequest): number {
  const market_ = r.orderType === 'FOK' || r.orderType === 'FAK';
  const a = market_ ? marketOrderAmounts('BUY', r.usd ?? r.size! * r.price, r.price, r.market.tickSize) : limitOrderAmounts('BUY', r.size!, r.price, r.market.tickSize);
  const maker = Number(a.makerAmount) / 1e6;
  const shares = Number(a.takerAmount) / 1e6;
  const price = maker / shares;
  const priceMilli = market_ ? Math.floor(price * 1000 + 1e-6) : Math.round(price * 1000);
  return maker + (r.postOnly ? 0 : simTakerFeeUsd(shares, priceMilli / 1000, { rebateRate: 0, ...r.market.fees }));
}

describe('resizeToConfirmed', () => {
  it('SELL: the shares held, rounded down to 2 decimals, never more than asked', () => {
    expect(resizeToConfirmed(sell, 7.456)).toEqual({ ...sell, size: 7.45 });
    expect(resizeToConfirmed(sell, 7.45)).toEqual({ ...sell, size: 7.45 });
    expect(resizeToConfirmed(sell, 25)).toEqual(sell);
    expect(resizeToConfirmed({ ...sell, orderType: 'FOK', postOnly: false }, 6.999)).toMatchObject({ size: 6.99, orderType: 'FOK' });
  });

  it('SELL: nothing below the venue minimum (at the minimum is fine)', () => {
    expect(resizeToConfirmed(sell, market.minOrderSize)).toMatchObject({ size: market.minOrderSize });
    expect(resizeToConfirmed(sell, market.minOrderSize - 0.001)).toBeUndefined();
  });

  it('nothing for an empty, negative or unknown balance', () => {
    for (const req of [makerBuy, takerBuy, sell]) for (const c of [0, -3, Number.NaN]) expect(resizeToConfirmed(req, c)).toBeUndefined();
  });

  it('maker BUY (post-only): no fee; the most 2-decimal shares the balance pays for', () => {
    // 5.30 pUSD at 0.53 pays exactly 10 shares; 5.29 pays 9.98.
    expect(resizeToConfirmed(makerBuy, 5.3)).toEqual({ ...makerBuy, size: 10 });
    expect(resizeToConfirmed(makerBuy, 5.29)).toEqual({ ...makerBuy, size: 9.98 });
    expect(resizeToConfirmed(makerBuy, 1_000)).toEqual(makerBuy); // never more than asked
  });

  it('maker BUY: the venue minimum in shares (at it is fine, a cent below is not)', () => {
    const at = makerBuy.price * market.minOrderSize;
    expect(resizeToConfirmed(makerBuy, at)).toMatchObject({ size: market.minOrderSize });
    expect(resizeToConfirmed(makerBuy, at - 0.01)).toBeUndefined();
  });

  it('taker BUY by size (a GTC that may take): the taker fee per share is paid for too', () => {
    const req: PlaceRequest = { ...makerBuy, postOnly: false };
    const r = resizeToConfirmed(req, 5.3)!;
    expect(r.size).toBeLessThan(10);
    expect(buyCost(r)).toBeLessThanOrEqual(5.3);
    expect(buyCost({ ...r, size: plusCent(r.size!) })).toBeGreaterThan(5.3);
    // Without a fee schedule the taker pays the notional only.
    expect(resizeToConfirmed({ ...req, market: { ...market, fees: NO_FEES } }, 5.3)).toMatchObject({ size: 10 });
  });

  it('taker BUY by pUSD (FOK/FAK): the amount plus its fee fits the balance; the minimum counts in shares', () => {
    const r = resizeToConfirmed(takerBuy, 6)!;
    expect(r.size).toBeUndefined();
    expect(r.usd).toBeLessThan(6);
    expect(buyCost(r)).toBeLessThanOrEqual(6);
    expect(buyCost({ ...r, usd: plusCent(r.usd!) })).toBeGreaterThan(6);
    expect(resizeToConfirmed(takerBuy, 50)).toEqual(takerBuy); // never more than asked
    // The minimum, 5 shares at 0.53, is 2.65 pUSD plus the fee on 5 shares: exactly that is enough, a cent less is not.
    const minCost = buyCost({ ...takerBuy, usd: 2.65 });
    expect(minCost).toBeGreaterThan(2.65);
    expect(resizeToConfirmed(takerBuy, minCost)).toEqual({ ...takerBuy, usd: 2.65 });
    expect(resizeToConfirmed(takerBuy, minCost - 0.01)).toBeUndefined();
    expect(resizeToConfirmed(takerBuy, 2.65)).toBeUndefined();
  });

  it("the fee is the venue's fee on the whole order (5 decimals), not a rounded per-share fee times the shares", () => {
    // At 0.21 the per-share fee 0.011613 rounds to 0.01161: 32.76 shares would cost 7.26004 at the venue, above 7.26.
    const req: PlaceRequest = { ...makerBuy, price: 0.21, size: 82.06, postOnly: false };
    expect(buyCost({ ...req, size: 32.76 })).toBeGreaterThan(7.26);
    const r = resizeToConfirmed(req, 7.26)!;
    expect(r.size).toBe(32.75);
    expect(buyCost(r)).toBeLessThanOrEqual(7.26);
  });

  it('a pUSD market BUY at the minimum counts the shares it is signed for (0.35 pUSD at 0.07 is 5 shares, not 4.999...)', () => {
    expect(0.35 / 0.07).toBeLessThan(5); // the floating-point trap
    const req: PlaceRequest = { ...takerBuy, price: 0.07, usd: 1, market: { ...market, fees: NO_FEES } };
    expect(resizeToConfirmed(req, 0.35)).toEqual({ ...req, usd: 0.35 });
    expect(resizeToConfirmed(req, 0.349)).toBeUndefined();
  });

  it('over many prices, sizes and balances: never above the balance nor the request, 2 decimals, maximal, price untouched', () => {
    const prng = new Prng('balance-guard-resize');
    let resized = 0;
    for (let i = 0; i < 3_000; i++) {
      const price = Math.round(1 + prng.next() * 98) / 100;
      const kind = i % 4;
      const base: PlaceRequest =
        kind === 0 ? { ...makerBuy, price, size: Math.round(1 + prng.next() * 20_000) / 100 }
        : kind === 1 ? { ...makerBuy, price, postOnly: false, size: Math.round(1 + prng.next() * 20_000) / 100 }
        : kind === 2 ? { ...takerBuy, price, usd: Math.round(1 + prng.next() * 20_000) / 100 }
        : { ...sell, price, size: Math.round(1 + prng.next() * 20_000) / 100 };
      const confirmed = Math.round(prng.next() * 20_000) / 100;
      const r = resizeToConfirmed(base, confirmed);
      if (!r) {
        // Refused only when even the smallest order would not be paid for.
        const minUsd = Math.ceil(base.price * market.minOrderSize * 100 - 1e-6) / 100;
        const min = { ...base, ...(base.usd !== undefined ? { usd: minUsd } : { size: market.minOrderSize }) };
        if (base.side === 'SELL') expect(confirmed < market.minOrderSize || base.size! < market.minOrderSize).toBe(true);
        else expect(buyCost(min) > confirmed || (base.size ?? base.usd!) < (min.size ?? min.usd!), JSON.stringify({ base, confirmed })).toBe(true);
        continue;
      }
      resized++;
      expect({ ...r, size: undefined, usd: undefined }).toEqual({ ...base, size: undefined, usd: undefined });
      const amount = r.size ?? r.usd!;
      expect(twoDecimals(amount)).toBe(true);
      expect(amount).toBeLessThanOrEqual((base.size ?? base.usd)!);
      const signedShares = r.usd !== undefined ? Number(marketOrderAmounts('BUY', r.usd, r.price, r.market.tickSize).takerAmount) / 1e6 : r.size!;
      expect(signedShares).toBeGreaterThanOrEqual(market.minOrderSize);
      const cost = base.side === 'SELL' ? r.size! : buyCost(r);
      expect(cost, JSON.stringify({ base, confirmed, r })).toBeLessThanOrEqual(confirmed + 1e-9);
      if (amount < (base.size ?? base.usd)!) {
        const bigger = r.size !== undefined ? { ...r, size: plusCent(amount) } : { ...r, usd: plusCent(amount) };
        expect(base.side === "SELL" ? bigger.size! : buyCost(bigger), JSON.stringify({ base: { ...base, market: undefined }, confirmed, r: { ...r, market: undefined } })).toBeGreaterThan(confirmed);
      }
    }
    expect(resized).toBeGreaterThan(1_000);
  });
});

describe('balanceAssetOf / isBalanceRefusal', () => {
  it('a BUY draws on the collateral, a SELL on its own token', () => {
    expect(balanceAssetOf(makerBuy)).toBe('COLLATERAL');
    expect(balanceAssetOf({ ...makerBuy, market: otherToken })).toBe('COLLATERAL');
    expect(balanceAssetOf(sell)).toBe('CONDITIONAL:111');
    expect(balanceAssetOf({ ...sell, market: otherToken })).toBe('CONDITIONAL:222');
  });

  it("recognises the venue's balance and allowance refusals and nothing else", () => {
    for (const r of ['not enough balance / allowance', 'Not Enough Balance', 'the order owner has to have enough allowance', 'invalid: NOT ENOUGH BALANCE']) expect(isBalanceRefusal(r), r).toBe(true);
    for (const r of ['order_version_mismatch', 'venue cancel-only', 'insufficient liquidity', 'size 4 lower than the minimum 5', '']) expect(isBalanceRefusal(r), r).toBe(false);
  });
});

function guard(blockMs?: number) {
  const clock = new SimClock(T0);
  const bus = new EventBus({ clock });
  const g = new BalanceGuard(clock, bus, blockMs);
  const notices: Array<{ source: string; severity: string; title: string; detail: string }> = [];
  bus.on('runtime.notice', (e) => notices.push({ source: e.source, severity: e.severity, title: e.title, detail: e.detail }));
  return { clock, bus, g, notices };
}

describe('BalanceGuard', () => {
  it('refuses new orders on an asset while its balance is being refreshed, and only that asset', () => {
    const { g } = guard();
    g.setChecking(makerBuy, true);
    expect(g.denyReason(takerBuy)).toMatch(/COLLATERAL being refreshed/);
    expect(g.denyReason({ ...makerBuy, market: otherToken })).toMatch(/being refreshed/); // any buy
    expect(g.denyReason(sell)).toBeUndefined();
    g.setChecking(makerBuy, false);
    expect(g.denyReason(takerBuy)).toBeUndefined();
  });

  it('a blocked BUY stops all new buys for 10 minutes (not sells); then they resume by themselves', () => {
    const { clock, g } = guard();
    g.block(makerBuy, 'not enough balance / allowance');
    for (const r of [makerBuy, takerBuy, { ...makerBuy, market: otherToken }]) expect(g.denyReason(r)).toBe('stopped: not enough balance / allowance');
    expect(g.denyReason(sell)).toBeUndefined();
    expect(g.isBlocked('COLLATERAL')).toBe(true);
    clock.advanceBy(600_000 - 1);
    expect(g.denyReason(makerBuy)).toBeDefined();
    expect(g.isBlocked('COLLATERAL')).toBe(true);
    clock.advanceBy(1);
    expect(g.isBlocked('COLLATERAL')).toBe(false);
    expect(g.denyReason(makerBuy)).toBeUndefined();
  });

  it('a blocked SELL stops sells of that token only', () => {
    const { clock, g } = guard();
    g.block(sell, 'not enough balance / allowance');
    expect(g.denyReason(sell)).toMatch(/^stopped: /);
    expect(g.denyReason({ ...sell, market: otherToken })).toBeUndefined();
    expect(g.denyReason(makerBuy)).toBeUndefined();
    expect(g.isBlocked('CONDITIONAL:111')).toBe(true);
    expect(g.isBlocked('CONDITIONAL:222')).toBe(false);
    clock.advanceBy(600_000);
    expect(g.denyReason(sell)).toBeUndefined();
  });

  it('alerts once per block with a danger notice that says what stopped, why and for how long', () => {
    const { g, notices } = guard();
    g.block(makerBuy, 'not enough balance / allowance (confirmed balance 1.20 pUSD: not retried)');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ source: 'venue.balance', severity: 'danger', title: 'New buys stopped: not enough balance / allowance at the venue' });
    expect(notices[0]!.detail).toContain('confirmed balance 1.20 pUSD');
    expect(notices[0]!.detail).toContain('(order tag-1)');
    expect(notices[0]!.detail).toContain('after 10 min');
    g.block(sell, 'not enough balance / allowance');
    expect(notices).toHaveLength(2);
    expect(notices[1]!.title).toBe('New sells of this token stopped: not enough balance / allowance at the venue');
    expect(g.stats.blocks).toBe(2);
  });

  it('bounds what the notice quotes (reason 200 chars, client tag 60)', () => {
    const { g, notices } = guard();
    g.block({ ...makerBuy, clientTag: 'T'.repeat(500) }, 'R'.repeat(5_000));
    expect(notices[0]!.detail).toContain('R'.repeat(200) + ' (order ' + 'T'.repeat(60) + ')');
    expect(notices[0]!.detail).not.toContain('R'.repeat(201));
    expect(notices[0]!.detail).not.toContain('T'.repeat(61));
  });

  it('a second refusal while blocked extends the block without a second alert', () => {
    const { clock, g, notices } = guard();
    g.block(makerBuy, 'first');
    clock.advanceBy(300_000);
    g.block(takerBuy, 'second');
    expect(notices).toHaveLength(1);
    expect(g.stats.blocks).toBe(1);
    expect(g.denyReason(makerBuy)).toBe('stopped: second');
    clock.advanceBy(599_999);
    expect(g.isBlocked('COLLATERAL')).toBe(true);
    clock.advanceBy(1);
    expect(g.isBlocked('COLLATERAL')).toBe(false);
  });

  it('a block after the previous one ran out is a new block with a new alert', () => {
    const { clock, g, notices } = guard();
    g.block(makerBuy, 'first');
    clock.advanceBy(600_000); // nobody asked in between (no denyReason call)
    g.block(makerBuy, 'again');
    expect(notices).toHaveLength(2);
    expect(g.stats.blocks).toBe(2);
    expect(g.denyReason(makerBuy)).toBe('stopped: again');
  });

  it('honours a custom block length and says it in the notice', () => {
    const { clock, g, notices } = guard(120_000);
    g.block(sell, 'x');
    expect(notices[0]!.detail).toContain('after 2 min');
    clock.advanceBy(119_999);
    expect(g.denyReason(sell)).toBeDefined();
    clock.advanceBy(1);
    expect(g.denyReason(sell)).toBeUndefined();
  });

  it('clear() lifts one asset or all', () => {
    const { g } = guard();
    g.block(makerBuy, 'x');
    g.block(sell, 'y');
    g.clear('COLLATERAL');
    expect(g.denyReason(makerBuy)).toBeUndefined();
    expect(g.denyReason(sell)).toBeDefined();
    g.clear();
    expect(g.denyReason(sell)).toBeUndefined();
  });

  it('tracks at most 1,000 assets: the oldest block is dropped first', () => {
    const { g } = guard();
    const sellOf = (i: number): PlaceRequest => ({ ...sell, market: { ...market, tokenId: String(1_000 + i) } });
    for (let i = 0; i < 1_001; i++) g.block(sellOf(i), 'x');
    expect(g.isBlocked('CONDITIONAL:1000')).toBe(false);
    for (const i of [1, 500, 1_000]) expect(g.isBlocked(`CONDITIONAL:${1_000 + i}`)).toBe(true);
  });

  it('a re-blocked asset counts as the newest: the eviction drops the least recently blocked one', () => {
    const { g } = guard();
    const sellOf = (i: number): PlaceRequest => ({ ...sell, market: { ...market, tokenId: String(1_000 + i) } });
    for (let i = 0; i < 1_000; i++) g.block(sellOf(i), 'x');
    g.block(sellOf(0), 'refused again');
    g.block(sellOf(1_000), 'x');
    expect(g.isBlocked('CONDITIONAL:1000')).toBe(true);
    expect(g.isBlocked('CONDITIONAL:1001')).toBe(false);
    expect(g.isBlocked('CONDITIONAL:2000')).toBe(true);
  });
});
