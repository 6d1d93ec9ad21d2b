/**
 * The correlation publisher (bot/risk/correlation-publisher.ts): feeds the estimator from live reference prices only
 * and publishes a schema-valid `risk.correlation` at most once per interval of the injected clock.
 */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../../bot/bus';
import { SimClock } from '../../../bot/clock';
import { assetOfReferenceSymbol, CorrelationEstimator, correlationSettingsOf, startCorrelationPublisher } from '../../../bot/risk';
import { riskConfigSchema } from '../../../lib/schemas/config';
import { botEventSchema, type EventOf } from '../../../lib/schemas/events';

const T0 = 1_800_000_000_000;

describe('correlation publisher', () => {
  function setup(intervalMs = 10_000) {
    const clock = new SimClock(T0);
    const bus = new EventBus({ clock });
    const cfg = riskConfigSchema.parse({ maxCorrelatedExposureUsd: 120, correlationPrior: 0.7 });
    const estimator = new CorrelationEstimator({ clock, settings: () => correlationSettingsOf(cfg) });
    const exposure = { btc: 50, eth: -20 };
    const events: EventOf<'risk.correlation'>[] = [];
    bus.on('risk.correlation', (e) => events.push(e));
    const pub = startCorrelationPublisher({ bus, clock, estimator, config: () => cfg, exposure: () => exposure, intervalMs });
    const tick = (symbol: string, price: number, kind: 'live' | 'twap60' = 'live') =>
      bus.publish({ type: 'ref.price', source: 'polybolt', kind, symbol, priceUsd: price, tsEventMs: clock.nowMs() });
    return { clock, bus, estimator, events, pub, tick, exposure };
  }

  it('maps symbols to assets', () => {
    expect(['btcusd', 'ETHUSD', 'sol/usd', 'xrpusdt'].map(assetOfReferenceSymbol)).toEqual(['btc', 'eth', 'sol', 'xrp']);
  });

  it('feeds live prices only and publishes at most once per interval, with a schema-valid event', () => {
    const { clock, estimator, events, tick } = setup(10_000);
    for (let s = 0; s < 60; s++) {
      clock.advanceTo(T0 + s * 1_000);
      tick('btcusd', 60_000 + s);
      tick('ethusd', 3_000 + s / 10);
      tick('solusd', 150, 'twap60');
    }
    expect(estimator.assets()).toEqual(['btc', 'eth']);
    // Ticks at 0..59 s, first publish at 0 s, then every 10 s: 0, 10, 20, 30, 40, 50.
    expect(events.map((e) => e.tsEventMs - T0)).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    const last = events.at(-1)!;
    expect(botEventSchema.safeParse(last).success).toBe(true);
    expect(last.assets).toEqual(['btc', 'eth']);
    expect(last.exposureUsd).toEqual([50, -20]);
    expect(last.isPrior[0]![1]).toBe(true); // about 5 returns: far below correlationMinSamples
    expect(last.rho[0]![1]).toBe(0.7);
    expect(last.capUsd).toBe(120);
    expect(last.aggregateUsd).toBeCloseTo(Math.sqrt(50 * 50 + 20 * 20 - 2 * 0.7 * 50 * 20), 9);
  });

  it('lists assets held but not yet priced, publishes on demand, and stops after dispose', () => {
    const { events, pub, tick, exposure, clock } = setup();
    Object.assign(exposure, { xrp: 5 });
    pub.publishNow();
    expect(events.at(-1)!.assets).toEqual(['btc', 'eth', 'xrp']);
    pub.dispose();
    pub.dispose();
    clock.advanceBy(60_000);
    tick('btcusd', 61_000);
    expect(events).toHaveLength(1);
  });
});
