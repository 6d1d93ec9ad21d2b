/**
 * Guardrails: each rule at, just below and just above its boundary, over a real parsed config; the service refuses
 * with every violation; every profile passes.
 */
import { describe, expect, it } from 'vitest';
import { checkGuardrails, getProfile, isConfigError, isLoopbackHost, listProfiles, mergePatch, validateConfig, type GuardrailContext } from '../../../bot/config';
import { defaultRuntimeConfig, type RuntimeConfig } from '../../../lib/schemas/config';
import { openHarness } from './helpers';

const ok: GuardrailContext = { hasLiveCredentials: () => true, host: '127.0.0.1', consoleTokenSet: false };
const EPS = 1e-9;

function withParams(id: string, params: Record<string, unknown>): RuntimeConfig {
  const c = defaultRuntimeConfig();
  c.strategies = c.strategies.map((s) => (s.id === id ? { ...s, params: { ...s.params, ...params } } : s));
  return c;
}
const idx = (id: string) => defaultRuntimeConfig().strategies.findIndex((s) => s.id === id);
const rules = (c: RuntimeConfig, ctx = ok) => checkGuardrails(c, ctx).map((i) => `${i.path} ${i.rule}`);

describe('guardrails', () => {
  it('the defaults pass', () => {
    expect(checkGuardrails(defaultRuntimeConfig(), ok)).toEqual([]);
  });

  it('MAX_ENTRY_PRICE must be in (0, 0.99]', () => {
    const at = `strategies.${idx('hammer')}.params.maxEntryPrice entry-price-range`;
    for (const v of [0.99, 0.99 - EPS, EPS, 0.5]) expect(rules(withParams('hammer', { maxEntryPrice: v }))).toEqual([]);
    for (const v of [0.99 + EPS, 1, 0, -0.1, Infinity]) expect(rules(withParams('hammer', { maxEntryPrice: v }))).toEqual([at]);
    // every strategy with the field, not only the hammer
    expect(rules(withParams('late-sweep', { maxEntryPrice: 1 }))).toEqual([`strategies.${idx('late-sweep')}.params.maxEntryPrice entry-price-range`]);
  });

  it('hammer seconds, watch-return threshold and D_MIN must be positive', () => {
    for (const k of ['hammerSecs', 'watchReturnThreshold', 'dMin']) {
      const at = `strategies.${idx('hammer')}.params.${k} positive`;
      expect(rules(withParams('hammer', { [k]: EPS }))).toEqual([]);
      expect(rules(withParams('hammer', { [k]: 0 }))).toEqual([at]);
      expect(rules(withParams('hammer', { [k]: -EPS }))).toEqual([at]);
    }
  });

  it('a stop never at or above the entry: SL_FLOOR < ENTRY_BID_THRESHOLD, LATE_SL_TRIGGER < the late entry, SL_OFFSET > 0, sweep stop < sweep ask', () => {
    const tb = idx('time-bucket');
    expect(rules(withParams('time-bucket', { entryBidThreshold: 0.6, slFloor: 0.6 - EPS }))).toEqual([]);
    expect(rules(withParams('time-bucket', { entryBidThreshold: 0.6, slFloor: 0.6 }))).toEqual([`strategies.${tb}.params.slFloor stop-below-entry`]);
    expect(rules(withParams('time-bucket', { entryBidThreshold: 0.6, slFloor: 0.7 }))).toEqual([`strategies.${tb}.params.slFloor stop-below-entry`]);
    expect(rules(withParams('time-bucket', { lateReentryEntryThreshold: 0.9, lateSlTrigger: 0.9 - EPS }))).toEqual([]);
    expect(rules(withParams('time-bucket', { lateReentryEntryThreshold: 0.9, lateSlTrigger: 0.9 }))).toEqual([`strategies.${tb}.params.lateSlTrigger stop-below-entry`]);
    expect(rules(withParams('time-bucket', { slOffset: EPS }))).toEqual([]);
    expect(rules(withParams('time-bucket', { slOffset: 0 }))).toEqual([`strategies.${tb}.params.slOffset stop-below-entry`]);
    const ls = idx('late-sweep');
    expect(rules(withParams('late-sweep', { sweepAskThreshold: 0.9, sweepStopPrice: 0.9 - EPS }))).toEqual([]);
    expect(rules(withParams('late-sweep', { sweepAskThreshold: 0.9, sweepStopPrice: 0.9 }))).toEqual([`strategies.${ls}.params.sweepStopPrice stop-below-entry`]);
  });

  it('per-trade cap ≤ daily loss; per-window exposure ≤ total exposure', () => {
    const risk = (r: Partial<RuntimeConfig['risk']>) => {
      const c = defaultRuntimeConfig();
      c.risk = { ...c.risk, ...r };
      return rules(c);
    };
    expect(risk({ maxUsdPerTrade: 100, maxDailyLossUsd: 100 })).toEqual([]);
    expect(risk({ maxUsdPerTrade: 100 + EPS, maxDailyLossUsd: 100 })).toEqual(['risk.maxUsdPerTrade per-trade-within-daily-loss']);
    expect(risk({ maxUsdPerTrade: 99, maxDailyLossUsd: 100 })).toEqual([]);
    expect(risk({ maxExposurePerWindowUsd: 300, maxTotalExposureUsd: 300 })).toEqual([]);
    expect(risk({ maxExposurePerWindowUsd: 300.01, maxTotalExposureUsd: 300 })).toEqual(['risk.maxExposurePerWindowUsd window-within-total-exposure']);
  });

  it('live mode: credentials, and an operator token when the console is not on loopback', () => {
    const live = { ...defaultRuntimeConfig(), mode: 'live' as const };
    expect(rules(live)).toEqual([]);
    expect(rules(live, { ...ok, hasLiveCredentials: () => false })).toEqual(['mode live-needs-credentials']);
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(rules(live, { ...ok, host })).toEqual([]);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '128.0.0.1', '127.0.0.256']) {
      expect(isLoopbackHost(host)).toBe(false);
      expect(rules(live, { ...ok, host })).toEqual(['mode live-needs-token-off-loopback']);
      expect(rules(live, { ...ok, host, consoleTokenSet: true })).toEqual([]);
    }
    // paper mode needs neither
    expect(rules(defaultRuntimeConfig(), { hasLiveCredentials: () => false, host: '0.0.0.0', consoleTokenSet: false })).toEqual([]);
  });

  it('live mode comes only from TRADING_MODE=live in the environment when the server says what TRADING_MODE is', () => {
    const live = { ...defaultRuntimeConfig(), mode: 'live' as const };
    for (const env of ['', 'paper', ' LIVE', 'yes']) expect(rules(live, { ...ok, tradingModeEnv: env })).toEqual(['mode live-needs-trading-mode']);
    expect(rules(live, { ...ok, tradingModeEnv: 'live' })).toEqual([]);
    expect(rules(defaultRuntimeConfig(), { ...ok, tradingModeEnv: '' })).toEqual([]); // paper needs nothing
    // Through the service: a console edit cannot switch a paper process to live; the refusal names the rule.
    const h = openHarness({ guard: { hasLiveCredentials: () => true, tradingModeEnv: '' } });
    try {
      h.svc.apply({ mode: 'live' }, 'op', 'go live from the console', 'local');
      throw new Error('accepted');
    } catch (err) {
      if (!isConfigError(err)) throw err;
      expect(err.issues).toEqual([expect.objectContaining({ path: 'mode', rule: 'live-needs-trading-mode' })]);
    }
    expect(h.svc.desired().mode).toBe('paper');
  });

  it('mode replay is refused for the server process (replays run on their own runtime)', () => {
    const replay = { ...defaultRuntimeConfig(), mode: 'replay' as const };
    for (const env of ['', 'paper', 'live']) expect(rules(replay, { ...ok, tradingModeEnv: env })).toEqual(['mode replay-not-a-server-mode']);
    expect(rules(replay, ok)).toEqual([]); // a replay's own config (no server context) passes
  });

  it('the service refuses a change with every violation at once, and changes nothing', () => {
    const h = openHarness({ guard: { host: '0.0.0.0' } });
    const list = withParams('hammer', { maxEntryPrice: 0.995, dMin: 0 }).strategies;
    try {
      h.svc.apply({ mode: 'live', risk: { maxExposurePerWindowUsd: 400 }, strategies: list }, 'op', 'everything wrong', 'local');
      throw new Error('accepted');
    } catch (err) {
      if (!isConfigError(err)) throw err;
      expect(err.issues.map((i) => i.rule).sort()).toEqual(
        ['entry-price-range', 'live-needs-credentials', 'live-needs-token-off-loopback', 'positive', 'schema.too_big', 'window-within-total-exposure'].sort(),
      );
    }
    expect(h.svc.version).toBe(1);
  });

  it('every profile passes the schema and the guardrails over the defaults, and never sets mode, venue, series or sim', () => {
    expect(listProfiles().map((p) => p.name)).toEqual(['paper', 'live', 'high_vol', 'low_vol']);
    for (const p of listProfiles()) {
      const v = validateConfig(mergePatch(defaultRuntimeConfig(), p.patch), ok);
      expect(v.issues, p.name).toEqual([]);
      expect(Object.keys(p.patch).sort(), p.name).toEqual(['risk', 'strategies']);
    }
    expect(getProfile('live').patch).toMatchObject({ risk: { maxUsdPerTrade: 10, maxDailyLossUsd: 25 } });
  });
});
