/**
 * The divergence trigger compares each asset's reference with its own spot symbol: BTC's spot never prices ETH's
 * reference (a multi-asset runtime would otherwise halt on ~9,600 bps of "divergence" that is two different coins),
 * and a real divergence on one asset still halts, naming the asset.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { AutoTriggers, KillSwitch } from '../../../bot/risk';
import { openStore } from '../../../bot/store';
import { riskConfigSchema } from '../../../lib/schemas/config';

function rig() {
  const clock = new SimClock(1_800_000_000_000);
  const bus = new EventBus({ clock });
  const store = openStore(':memory:');
  const killSwitch = new KillSwitch({ clock, bus, store: store.killSwitch, audit: store.audit });
  const config = riskConfigSchema.parse({ maxReferenceSpotDivergenceBps: 100, divergenceHaltSec: 3, staleReferenceHaltSec: 600 });
  const triggers = new AutoTriggers({ clock, bus, killSwitch, risk: { config, checkDailyLoss: () => undefined }, port: { restingOrders: () => 0 } });
  triggers.start();
  /** One second: both assets' reference and spot ticks, then the trigger's tick. */
  const second = (prices: { btcRef: number; btcSpot: number; ethRef: number; ethSpot: number }) => {
    const ts = clock.nowMs();
    bus.publish({ type: 'ref.price', source: 'polybolt', kind: 'live', symbol: 'btcusd', priceUsd: prices.btcRef, tsEventMs: ts });
    bus.publish({ type: 'ref.price', source: 'polybolt', kind: 'live', symbol: 'ethusd', priceUsd: prices.ethRef, tsEventMs: ts });
    bus.publish({ type: 'spot.price', source: 'binance', symbol: 'btcusdt', priceUsd: prices.btcSpot, tsEventMs: ts });
    bus.publish({ type: 'spot.price', source: 'binance', symbol: 'ethusdt', priceUsd: prices.ethSpot, tsEventMs: ts });
    clock.advanceBy(1_000);
  };
  return { killSwitch, second, stop: () => triggers.stop() };
}

describe('divergence trigger per asset', () => {
  it('BTC and ETH each agree with their own spot: no halt, although ETH is 96 % away from BTC', () => {
    const r = rig();
    for (let i = 0; i < 20; i++) r.second({ btcRef: 62_400, btcSpot: 62_410, ethRef: 2_445, ethSpot: 2_446 });
    expect(r.killSwitch.state).toBe('active');
    r.stop();
  });

  it("ETH's reference drifting 2 % from ETH's spot halts after the hold time, naming eth; BTC agreeing does not hide it", () => {
    const r = rig();
    for (let i = 0; i < 2; i++) r.second({ btcRef: 62_400, btcSpot: 62_410, ethRef: 2_445 * 1.02, ethSpot: 2_445 });
    expect(r.killSwitch.state).toBe('active'); // not yet held for 3 s
    for (let i = 0; i < 4; i++) r.second({ btcRef: 62_400, btcSpot: 62_410, ethRef: 2_445 * 1.02, ethSpot: 2_445 });
    expect(r.killSwitch.snapshot()).toMatchObject({ state: 'halted', reason: expect.stringMatching(/^divergence: eth reference 2493\.90 vs spot 2445\.00: 200 bps apart/) });
    r.stop();
  });
});
