/**
 * Risk engine rules across series: `correlated_exposure` (aggregate directional exposure sqrt(xᵀCx) against
 * maxCorrelatedExposureUsd; only orders that raise it above the cap are denied) and `series_exposure` (a series'
 * own maxExposureUsd), their place in the rule order, and that both stay out of the way without the view methods.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { KillSwitch, RiskEngine, type OrderProposal, type RiskView } from '../../../bot/risk';
import type { CorrelationMatrix } from '../../../bot/risk/correlation';
import { signedUsdByAsset, type DirectionalEffect, type UpDown } from '../../../bot/risk/directional-exposure';
import { openStore } from '../../../bot/store';
import { isUpdatable, riskConfigSchema } from '../../../lib/schemas/config';

/** Tokens `<asset>-up` / `<asset>-down`; windows `<asset>-<sec>-w`. */
const legOfToken = (tokenId: string): { asset: string; outcome: UpDown } => {
  const [asset, outcome] = tokenId.split('-') as [string, UpDown];
  return { asset, outcome };
};

function setup(opts: { cfg?: Record<string, unknown>; rho?: number; isPrior?: boolean; withCorrelation?: boolean; withDirectional?: boolean; series?: boolean } = {}) {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const store = openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  /** Held + working USD per token. */
  const book = new Map<string, number>();
  const seriesUsd = new Map<string, number>();
  const seriesLimits = new Map<string, number | undefined>([['btc-300', 50], ['eth-300', undefined]]);
  const corrCalls: string[][] = [];
  const view: RiskView = {
    windowExposureUsd: () => 0,
    strategyExposureUsd: () => 0,
    totalExposureUsd: () => 0,
    realizedTodayUsd: () => 0,
    windowBlockReason: () => undefined,
    feedBlockReason: () => undefined,
    venueBlockReason: () => undefined,
    ...(opts.withDirectional === false
      ? {}
      : {
          directionalUsdByAsset: (extra?: DirectionalEffect) => {
            const legs = [...book].map(([t, usd]) => ({ ...legOfToken(t), usd }));
            if (extra) legs.push({ ...legOfToken(extra.tokenId), usd: extra.usd });
            return signedUsdByAsset(legs);
          },
        }),
    ...(opts.withCorrelation === false
      ? {}
      : {
          correlation: (assets: readonly string[]): CorrelationMatrix => {
            corrCalls.push([...assets]);
            const r = opts.rho ?? 0.9;
            return {
              assets: [...assets],
              rho: assets.map((_, i) => assets.map((__, j) => (i === j ? 1 : r))),
              samples: assets.map(() => assets.map(() => 240)),
              isPrior: assets.map((_, i) => assets.map((__, j) => i !== j && (opts.isPrior ?? false))),
            };
          },
        }),
    ...(opts.series
      ? {
          seriesOf: (slug: string) => {
            const key = slug.replace(/-w$/, '');
            const max = seriesLimits.get(key);
            return max === undefined ? { key } : { key, maxExposureUsd: max };
          },
          seriesExposureUsd: (key: string) => seriesUsd.get(key) ?? 0,
        }
      : {}),
  };
  const cfg = riskConfigSchema.parse({ maxCorrelatedExposureUsd: 100, maxUsdPerTrade: 1_000, maxExposurePerWindowUsd: 1_000, maxTotalExposureUsd: 10_000, maxPositionPerTokenUsd: 1_000, ...opts.cfg });
  const risk = new RiskEngine({ clock, bus, killSwitch, view, config: cfg });
  const denied: Array<{ rule: string; reason: string }> = [];
  bus.on('risk.denied', (e) => denied.push({ rule: e.rule, reason: e.reason }));
  return { risk, book, seriesUsd, seriesLimits, corrCalls, denied, bus };
}

/** A BUY of `usd` notional on `<asset>-<up|down>` at price 0.5 in window `<asset>-300-w`. */
const buy = (tokenId: string, usd: number, over: Partial<OrderProposal> = {}): OrderProposal => ({
  strategyId: 's', clientTag: `s|${tokenId}|${usd}`, windowSlug: `${tokenId.split('-')[0]}-300-w`, tokenId, side: 'BUY',
  price: 0.5, size: usd / 0.5, orderType: 'GTC', postOnly: true, reducesExposure: false, ...over,
});

/** Aggregate of BTC Up `a` and ETH Up `b` at rho (both Up): the formula, not the engine. */
const agg2 = (a: number, b: number, rho: number) => Math.sqrt(a * a + b * b + 2 * rho * a * b);

describe('correlated_exposure', () => {
  it('has hot config fields with descriptions and conservative defaults', () => {
    const d = riskConfigSchema.parse({});
    expect(d).toMatchObject({ maxCorrelatedExposureUsd: 250, correlationWindowSec: 3_600, correlationSampleSec: 10, correlationPrior: 0.8 });
    for (const f of ['maxCorrelatedExposureUsd', 'correlationWindowSec', 'correlationSampleSec', 'correlationPrior', 'correlationMinSamples'] as const) {
      expect(isUpdatable(['risk', f])).toBe(true);
      expect(riskConfigSchema.shape[f].meta()).toMatchObject({ description: expect.any(String) });
    }
    expect(riskConfigSchema.safeParse({ correlationPrior: 1.1 }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ maxCorrelatedExposureUsd: 0 }).success).toBe(false);
  });

  it('refuses the order that would cross the cap and names the numbers; passes the one just under it', () => {
    const { risk, book, denied, corrCalls } = setup({ rho: 0.9 });
    book.set('btc-up', 60);
    // With BTC Up 60 held, ETH Up e stays under 100 while 60² + e² + 2·0.9·60·e <= 100²: e <= 42.52…
    const under = 42;
    const over = 43;
    expect(agg2(60, under, 0.9)).toBeLessThan(100);
    expect(agg2(60, over, 0.9)).toBeGreaterThan(100);
    expect(risk.approve(buy('eth-up', under))).toEqual({ ok: true });
    const v = risk.approve(buy('eth-up', over));
    expect(v).toMatchObject({ ok: false, rule: 'correlated_exposure' });
    const reason = (v as { reason: string }).reason;
    expect(reason).toContain(`would be ${agg2(60, over, 0.9).toFixed(2)} > cap 100 USD`);
    expect(reason).toContain('now 60.00');
    expect(reason).toContain('ρ btc/eth 0.90 (240 returns)');
    expect(reason).toContain(`eth +${over.toFixed(2)}`);
    expect(denied).toEqual([{ rule: 'correlated_exposure', reason }]);
    expect(corrCalls.at(-1)).toEqual(['btc', 'eth']);
  });

  it('lets the same order through when the assets are independent: correlation is what makes it one bet', () => {
    const { risk, book } = setup({ rho: 0 });
    book.set('btc-up', 60);
    expect(agg2(60, 43, 0)).toBeLessThan(100);
    expect(risk.approve(buy('eth-up', 43))).toEqual({ ok: true });
    // A negative estimate is clipped to 0: it never lets two Up bets offset.
    const neg = setup({ rho: -0.9 });
    neg.book.set('btc-up', 60);
    expect(neg.risk.approve(buy('eth-up', 43))).toEqual({ ok: true });
    neg.book.set('btc-up', 80);
    expect(agg2(80, 65, 0)).toBeGreaterThan(100);
    expect(neg.risk.approve(buy('eth-up', 65))).toMatchObject({ ok: false, rule: 'correlated_exposure' });
  });

  it('passes an order that lowers the aggregate even above the cap, and reducing orders always', () => {
    const { risk, book } = setup({ rho: 0.9 });
    book.set('btc-up', 90);
    book.set('eth-up', 30); // agg2(90, 30, 0.9) > 100: already over the cap (e.g. the cap was lowered)
    expect(agg2(90, 30, 0.9)).toBeGreaterThan(100);
    // ETH Down 20: ETH goes from +30 to +10, the aggregate falls.
    expect(agg2(90, 10, 0.9)).toBeLessThan(agg2(90, 30, 0.9));
    expect(risk.approve(buy('eth-down', 20))).toEqual({ ok: true });
    // BTC Down 5: a hedge inside the same asset.
    expect(risk.approve(buy('btc-down', 5))).toEqual({ ok: true });
    // More Up on either asset raises it: denied.
    expect(risk.approve(buy('eth-up', 1))).toMatchObject({ ok: false, rule: 'correlated_exposure' });
    // ETH Down 70 overshoots to ETH −40: agg2(90, −40, 0.9) is below agg2(90, 30, 0.9), so it lowers the aggregate.
    expect(agg2(90, -40, 0.9)).toBeLessThan(agg2(90, 30, 0.9));
    expect(risk.approve(buy('eth-down', 70))).toEqual({ ok: true });
    // Selling held shares passes whatever the aggregate.
    expect(risk.approve(buy('btc-up', 40, { side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
  });

  it('uses correlationPrior for every pair when the view has no estimate, and says so', () => {
    const { risk, book } = setup({ withCorrelation: false, cfg: { correlationPrior: 0.5 } });
    book.set('btc-up', 50);
    // Under the prior 0.5: ETH Up e passes while 50² + e² + 50e <= 100², i.e. e <= 65.1…
    expect(agg2(50, 65, 0.5)).toBeLessThan(100);
    expect(agg2(50, 66, 0.5)).toBeGreaterThan(100);
    expect(risk.approve(buy('eth-up', 65, { size: undefined, usd: 65, orderType: 'FOK', postOnly: false }))).toEqual({ ok: true });
    expect(risk.approve(buy('eth-up', 66, { size: undefined, usd: 66, orderType: 'FOK', postOnly: false }))).toMatchObject({
      ok: false, rule: 'correlated_exposure', reason: expect.stringContaining('ρ btc/eth 0.50 (prior)'),
    });
  });

  it('applies a hot cap change at once and is skipped without directional exposure in the view', () => {
    const { risk, book } = setup({ rho: 1 });
    book.set('btc-up', 30);
    expect(risk.approve(buy('eth-up', 40))).toEqual({ ok: true }); // 70 <= 100
    risk.updateConfig({ ...risk.config, maxCorrelatedExposureUsd: 60 });
    expect(risk.approve(buy('eth-up', 40))).toMatchObject({ ok: false, rule: 'correlated_exposure' });
    const none = setup({ withDirectional: false, cfg: { maxCorrelatedExposureUsd: 1 } });
    expect(none.risk.approve(buy('eth-up', 40))).toEqual({ ok: true });
  });
});

describe('series_exposure', () => {
  it("holds a series to its own limit (at the limit passes, a cent over is denied) and leaves other series alone", () => {
    const { risk, seriesUsd } = setup({ series: true, cfg: { maxCorrelatedExposureUsd: 10_000 } });
    seriesUsd.set('btc-300', 30);
    expect(risk.approve(buy('btc-up', 20))).toEqual({ ok: true }); // 30 + 20 = 50: at the limit
    expect(risk.approve(buy('btc-up', 20.01, { size: 40.02 }))).toMatchObject({ ok: false, rule: 'series_exposure', reason: 'series btc-300 exposure would be 50.01 > 50 USD' });
    seriesUsd.set('eth-300', 5_000); // eth-300 has no limit of its own
    expect(risk.approve(buy('eth-up', 20))).toEqual({ ok: true });
    expect(risk.approve(buy('btc-up', 30, { side: 'SELL', reducesExposure: true }))).toEqual({ ok: true });
  });

  it('comes after the per-window rule and before the correlated and total rules', () => {
    const { risk, seriesUsd, book } = setup({ series: true, rho: 1, cfg: { maxCorrelatedExposureUsd: 10, maxTotalExposureUsd: 10, maxExposurePerWindowUsd: 45 } });
    seriesUsd.set('btc-300', 40);
    book.set('btc-up', 40);
    expect(risk.approve(buy('btc-up', 20))).toMatchObject({ ok: false, rule: 'series_exposure' });
    expect(risk.approve(buy('btc-up', 46, { size: undefined, usd: 46, orderType: 'FOK', postOnly: false }))).toMatchObject({ ok: false, rule: 'window_exposure' });
    seriesUsd.set('btc-300', 0);
    expect(risk.approve(buy('btc-up', 20))).toMatchObject({ ok: false, rule: 'correlated_exposure' });
    risk.updateConfig({ ...risk.config, maxCorrelatedExposureUsd: 1_000 });
    expect(risk.approve(buy('btc-up', 20))).toMatchObject({ ok: false, rule: 'total_exposure' });
  });

  it('is skipped when the view cannot say which series a window is in', () => {
    const { risk } = setup({ series: false, cfg: { maxCorrelatedExposureUsd: 10_000 } });
    expect(risk.approve(buy('btc-up', 49))).toEqual({ ok: true });
  });
});
