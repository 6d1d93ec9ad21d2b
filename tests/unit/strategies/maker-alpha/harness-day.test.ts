/** The maker with every alpha flag on, driven through the harness day runner: invariants hold and its signals are valid. */
import { describe, expect, it } from 'vitest';
import { runDay } from '../harness/runner';
import { createStrategy } from '../../../../bot/strategies/registry';
import { signalRecordSchema } from '../../../../lib/schemas/events/strategy';

const ALL_ON = {
  enableFlowSignals: true, enableRegime: true, enableCompetitor: true, enableTimePatterns: true,
  enableMarkoutGuard: true, enableKelly: true, enableStaleCleanup: true, maxOrderAgeSec: 20, markoutMinSamples: 3,
};

describe('maker alpha on the harness', () => {
  it('all flags on: post-only bids below the ask, no crossing rejections, valid throttled signals', () => {
    const seconds = 1800;
    const r = runDay({ seed: 'maker-alpha', seconds, windowSecs: [300], strategies: [{ id: 'mk', strategy: createStrategy('two-sided-maker', ALL_ON) }] });
    const quotes = r.placed.filter((p) => p.intent.clientTag.includes('|quote-'));
    expect(quotes.length).toBeGreaterThan(20);
    for (const q of quotes) {
      expect(q.intent).toMatchObject({ side: 'BUY', postOnly: true });
      if (q.market?.bestAsk !== undefined) expect(q.intent.price).toBeLessThan(q.market.bestAsk);
    }
    expect(r.venues.get('mk')!.rejections.filter((x) => x.reason === 'post-only would cross')).toEqual([]);
    expect(r.signals.length).toBeGreaterThan(seconds / 2);
    for (const s of r.signals) signalRecordSchema.parse(s);
    // throttle: outside requotes at most one per second per window
    const perSecond = new Map<string, number>();
    for (const s of r.signals) perSecond.set(`${s.windowSlug}@${Math.floor(s.atMs / 1000)}`, (perSecond.get(`${s.windowSlug}@${Math.floor(s.atMs / 1000)}`) ?? 0) + 1);
    const placesPerSecond = new Map<string, number>();
    for (const p of r.placed) placesPerSecond.set(`${p.intent.windowSlug}@${Math.floor(p.nowMs / 1000)}`, (placesPerSecond.get(`${p.intent.windowSlug}@${Math.floor(p.nowMs / 1000)}`) ?? 0) + 1);
    for (const [k, n] of perSecond) if (n > 1) expect(placesPerSecond.get(k) ?? 0, k).toBeGreaterThan(0);
  }, 30_000);
});
