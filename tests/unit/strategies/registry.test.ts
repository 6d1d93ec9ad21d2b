import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkConfigUpdate, createStrategy, getStrategyDefinition, listStrategies, parseStrategyConfig, strategyIds, updatableFieldsOf,
} from '../../../bot/strategies/registry';
import { makeClientTag, parseClientTag } from '../../../bot/strategies/intents';
import { botEventSchema } from '../../../lib/schemas/events';

describe('strategy registry', () => {
  it('lists the five strategies with parseable defaults', () => {
    expect([...strategyIds].sort()).toEqual(['hammer', 'late-sweep', 'time-bucket', 'trend-window', 'two-sided-maker']);
    for (const id of strategyIds) {
      const cfg = parseStrategyConfig(id, {}) as { enabled: boolean; asset: string };
      expect(cfg.asset).toBe('btc');
      expect(cfg.enabled).toBe(id !== 'late-sweep');
      expect(createStrategy(id).type).toBe(id);
      expect(listStrategies().find((s) => s.id === id)!.updatable.length).toBeGreaterThan(3);
    }
  });
  it('SPEC defaults', () => {
    expect(parseStrategyConfig('time-bucket', {})).toMatchObject({
      legChoice: 'HIGHEST_BID', entryBidThreshold: 0.6, entryRequoteWaitSec: 2, entryRequoteMinImprove: 0.03, minTradeSize: 5,
      minTpIncrement: 0.01, maxTpPrice: 0.99, slOffset: 0.2, slFloor: 0.5, slOrderPrice: 0.01, lateWindowSec: 120,
      lateReentryEntryThreshold: 0.9, lateSlTrigger: 0.7, maxLateReentries: 1, enableLateReentry: true,
    });
    expect(parseStrategyConfig('hammer', {})).toMatchObject({
      watchReturnThreshold: 0.005, hammerSecs: 15, dMin: 5, maxEntryPrice: 0.97, quoteSizeUsd: 20, maxUsdPerTrade: 50, pHatModel: 'twap',
    });
    expect(parseStrategyConfig('trend-window', {})).toMatchObject({
      bandStartSec: 780, bandEndSec: 840, upThreshold: 0.6, downThreshold: 0.4, usdPerTrade: 1,
      weights: { bookImbalance: 0.3, tickVelocity: 0.25, divergence: 0.18, spike: 0.12, putCallRatio: 0.1, fearGreed: 0.05 },
    });
    expect(parseStrategyConfig('two-sided-maker', {})).toMatchObject({
      baseSpread: 0.04, minSpread: 0.02, maxSpread: 0.1, maxInventorySkew: 0.02, requoteThreshold: 0.03, positionLimit: 50, pullBeforeEndSec: 30,
    });
    expect(parseStrategyConfig('late-sweep', {})).toMatchObject({ enabled: false, lateSweepSecs: 420, sweepAskThreshold: 0.9, sweepStopPrice: 0.7 });
  });
  it('is strict and range-checked', () => {
    expect(() => parseStrategyConfig('hammer', { maxEntryPrice: 1 })).toThrow(z.ZodError);
    expect(() => parseStrategyConfig('hammer', { maxEntryPrice: 0 })).toThrow(z.ZodError);
    expect(parseStrategyConfig('hammer', { maxEntryPrice: 0.99 })).toMatchObject({ maxEntryPrice: 0.99 });
    expect(() => parseStrategyConfig('time-bucket', { entryBidTreshold: 0.7 })).toThrow(/unrecognized/i);
    expect(() => parseStrategyConfig('time-bucket', { windowSecs: [0] })).toThrow(z.ZodError);
    expect(() => parseStrategyConfig('time-bucket', { capSchedule: { '900': [{ fromSec: 10, capUsd: 7 }] } })).toThrow(z.ZodError);
    expect(() => parseStrategyConfig('two-sided-maker', { minSpread: 0.2, maxSpread: 0.1 })).toThrow(z.ZodError);
    expect(() => getStrategyDefinition('nope')).toThrow(/unknown strategy/);
  });
  it('every field has a description; SPEC parameters carry their UPPER_CASE name', () => {
    for (const id of strategyIds) {
      const shape = (getStrategyDefinition(id).configSchema as unknown as { shape: Record<string, z.ZodType> }).shape;
      for (const [k, f] of Object.entries(shape)) {
        const meta = f.meta() as { description?: string; updatable?: boolean } | undefined;
        expect(meta?.description, `${id}.${k}`).toBeTruthy();
        expect(typeof meta?.updatable, `${id}.${k}`).toBe('boolean');
      }
    }
    const tb = (getStrategyDefinition('time-bucket').configSchema as unknown as { shape: Record<string, z.ZodType> }).shape;
    expect((tb.entryBidThreshold!.meta() as { description: string }).description).toMatch(/^ENTRY_BID_THRESHOLD:/);
  });
  it('updatable flags drive hot-apply vs restart', () => {
    expect(updatableFieldsOf('time-bucket')).toContain('entryBidThreshold');
    expect(updatableFieldsOf('time-bucket')).not.toContain('asset');
    const cur = parseStrategyConfig('time-bucket', {}) as Record<string, unknown>;
    expect(checkConfigUpdate('time-bucket', cur, { ...cur, entryBidThreshold: 0.65 })).toEqual([]);
    expect(checkConfigUpdate('time-bucket', cur, { ...cur, asset: 'eth', windowSecs: [900] })).toEqual(['asset', 'windowSecs']);
  });
  it('client tags are deterministic and parseable', () => {
    const t = makeClientTag('tb-1', 'btc-updown-15m-1790000100', 'entry', 3);
    expect(t).toBe('tb-1|btc-updown-15m-1790000100|entry|3');
    expect(parseClientTag(t)).toEqual({ strategyId: 'tb-1', windowSlug: 'btc-updown-15m-1790000100', purpose: 'entry', n: 3 });
    expect(parseClientTag('foreign')).toBeUndefined();
  });
  it('the strategy.decision event is part of the bus union', () => {
    const ev = {
      type: 'strategy.decision', seq: 1, tsEventMs: 1, tsRecvMs: 1,
      record: { strategyId: 'h', strategyType: 'hammer', windowSlug: 'x', action: 'evaluated', reason: 'ev<=0', atMs: 1, pHat: 0.4, up: { ask: 0.5, fee: 0.0175, ev: -0.1 } },
    };
    expect(botEventSchema.parse(ev)).toMatchObject({ type: 'strategy.decision' });
    expect(() => botEventSchema.parse({ ...ev, record: { ...ev.record, action: 'maybe' } })).toThrow();
  });
});
