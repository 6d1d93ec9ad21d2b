/**
 * The risk view across series (bot/host/risk-view.ts): exposure per series and signed directional USD per asset are
 * derived from held positions and the port's working orders (explicit deps win); absent deps leave the rules off.
 */
import { describe, expect, it } from 'vitest';
import type { TrackedOrder } from '../../../bot/execution';
import { createRiskView, type HeldCost } from '../../../bot/host/risk-view';
import type { StrategyPort } from '../../../bot/host/strategy-port';
import type { WindowRecord } from '../../../bot/markets';

function fakePort(windows: Array<{ slug: string; asset: string }>, orders: Array<Partial<TrackedOrder>>): StrategyPort {
  const recs = windows.map((w) => ({ window: { slug: w.slug, asset: w.asset }, upTokenId: `${w.slug}:up`, downTokenId: `${w.slug}:down` }) as unknown as WindowRecord);
  const full = orders.map((o) => ({ side: 'BUY', filledSize: 0, price: 0.5, ...o }) as TrackedOrder);
  return {
    window: (slug: string) => recs.find((r) => r.window.slug === slug),
    windowByToken: (t: string) => recs.find((r) => r.upTokenId === t || r.downTokenId === t),
    openOrders: () => full,
  } as unknown as StrategyPort;
}

const base = { costUsd: () => 0, tokenCostUsd: () => 0, realizedTodayUsd: () => 0 };

describe('risk view across series', () => {
  const port = fakePort(
    [{ slug: 'btc-5m-a', asset: 'btc' }, { slug: 'btc-1h-a', asset: 'btc' }, { slug: 'eth-5m-a', asset: 'eth' }],
    [
      { windowSlug: 'eth-5m-a', tokenId: 'eth-5m-a:up', size: 40, filledSize: 10, price: 0.5 }, // 15 USD still working
      { windowSlug: 'btc-5m-a', tokenId: 'btc-5m-a:up', side: 'SELL', size: 100 }, // SELL: no exposure
      { windowSlug: 'btc-1h-a', tokenId: 'btc-1h-a:down', usd: 8, filledSize: 0 }, // market BUY Down of 8 USD
    ],
  );
  const held: HeldCost[] = [
    { windowSlug: 'btc-5m-a', tokenId: 'btc-5m-a:up', costUsd: 30 },
    { windowSlug: 'btc-1h-a', tokenId: 'btc-1h-a:down', costUsd: 4 },
    { windowSlug: 'gone', tokenId: 'gone:up', costUsd: 99 }, // the port no longer knows it: not attributed
  ];
  const seriesOf = (slug: string) => (slug.startsWith('btc-5m') ? { key: 'btc-300', maxExposureUsd: 40 } : slug.startsWith('btc-1h') ? { key: 'btc-3600' } : slug.startsWith('eth') ? { key: 'eth-300' } : undefined);

  it('derives signed USD per asset (held + working BUY, Up minus Down) and a proposal on top', () => {
    const view = createRiskView({ ...base, port: () => port, heldPositions: () => held });
    expect(view.directionalUsdByAsset!()).toEqual({ btc: 30 - 4 - 8, eth: 15 });
    expect(view.directionalUsdByAsset!({ windowSlug: 'eth-5m-a', tokenId: 'eth-5m-a:down', usd: 6 })).toEqual({ btc: 18, eth: 15 - 6 });
    expect(view.seriesOf).toBeUndefined();
    expect(view.seriesExposureUsd).toBeUndefined();
  });

  it('derives exposure per series from seriesOf, and explicit deps win', () => {
    const view = createRiskView({ ...base, port: () => port, heldPositions: () => held, seriesOf });
    expect(view.seriesOf!('btc-5m-a')).toEqual({ key: 'btc-300', maxExposureUsd: 40 });
    expect(view.seriesExposureUsd!('btc-300')).toBe(30);
    expect(view.seriesExposureUsd!('btc-3600')).toBe(4 + 8);
    expect(view.seriesExposureUsd!('eth-300')).toBe(15);
    const explicit = createRiskView({ ...base, port: () => port, heldPositions: () => held, seriesOf, seriesExposureUsd: () => 7, directionalUsdByAsset: () => ({ sol: 1 }) });
    expect(explicit.seriesExposureUsd!('btc-300')).toBe(7);
    expect(explicit.directionalUsdByAsset!()).toEqual({ sol: 1 });
  });

  it('leaves every cross-series method out when none is given (single-series runtimes)', () => {
    const view = createRiskView({ ...base, port: () => port });
    expect(view.directionalUsdByAsset ?? view.seriesOf ?? view.seriesExposureUsd ?? view.correlation).toBeUndefined();
  });
});
