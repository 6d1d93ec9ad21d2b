/**
 * StrategyViewCache.reference: reused while nothing moved, a new wrapper (same history) when only spot or the stale
 * flag moved, a new history when the live series changed (a new second, or a later sample within the same second).
 */
import { describe, expect, it } from 'vitest';
import { ReferenceStore } from '../../../bot/core/reference-store';
import type { StrategyPort } from '../../../bot/host/strategy-port';
import { StrategyViewCache } from '../../../bot/host/strategy-views';

function portWith(ref: ReferenceStore, stale: { v: boolean }): StrategyPort {
  return { reference: ref, referenceStale: () => stale.v } as unknown as StrategyPort;
}

describe('reference view cache', () => {
  it('follows the live series, TWAP, spot and the stale flag, and reuses what did not change', () => {
    const ref = new ReferenceStore(900);
    const stale = { v: false };
    const port = portWith(ref, stale);
    const cache = new StrategyViewCache();
    ref.addLive(1_000, 100);
    const v1 = cache.reference(port);
    expect(v1.latest).toEqual({ tsMs: 1_000, price: 100 });
    expect(cache.reference(port)).toBe(v1);

    ref.setSpot(1_100, 101);
    const v2 = cache.reference(port);
    expect(v2).not.toBe(v1);
    expect(v2.spot).toEqual({ tsMs: 1_100, price: 101 });
    expect(v2.history).toBe(v1.history);

    ref.addLive(1_500, 102); // same second: replaces the sample
    const v3 = cache.reference(port);
    expect(v3.latest).toEqual({ tsMs: 1_500, price: 102 });
    expect(v3.history[v3.history.length - 1]).toEqual({ tsMs: 1_500, price: 102 });

    ref.addTwap(1_600, 99);
    expect(cache.reference(port).twap60).toEqual({ tsMs: 1_600, price: 99 });

    stale.v = true;
    expect(cache.reference(port).stale).toBe(true);

    for (let i = 0; i < 300; i++) ref.addLive(2_000 + i * 1000, 200 + i);
    const v4 = cache.reference(port);
    expect(v4.history).toHaveLength(240);
    expect(v4.history[239]).toEqual({ tsMs: 2_000 + 299 * 1000, price: 499 });
  });
});
