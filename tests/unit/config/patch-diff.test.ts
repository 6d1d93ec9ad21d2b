/**
 * JSON merge patch (RFC 7396 examples), the patch safety check, the hot/restart diff and its projection (a seeded
 * random walk: running → projected holds only hot changes, projected → desired only restart ones), paths for people,
 * and the JSON Schema generated from the zod schemas.
 */
import { describe, expect, it } from 'vitest';
import {
  checkPatch,
  configFieldGroups,
  configJsonSchemas,
  createMergePatch,
  diffConfigs,
  hashConfig,
  mergePatch,
  patchForPath,
  projectHot,
  resolvePath,
  validateConfig,
} from '../../../bot/config';
import { Prng } from '../../../bot/util/prng';
import { defaultRuntimeConfig, type RuntimeConfig } from '../../../lib/schemas/config';

describe('merge patch', () => {
  it('follows the RFC 7396 examples', () => {
    const cases: [unknown, unknown, unknown][] = [
      [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
      [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
      [{ a: 'b' }, { a: null }, {}],
      [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
      [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
      [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
      [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
      [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
      [['a', 'b'], ['c', 'd'], ['c', 'd']],
      [{ a: 'b' }, ['c'], ['c']],
      [{ a: 'foo' }, null, null],
      [{ e: null }, { a: 1 }, { e: null, a: 1 }],
      [[1, 2], { a: 'b', c: null }, { a: 'b' }],
      [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
    ];
    for (const [target, patch, result] of cases) expect(mergePatch(target, patch)).toEqual(result);
    const target = { a: { b: 1 } };
    mergePatch(target, { a: { b: 2 } });
    expect(target).toEqual({ a: { b: 1 } }); // never mutated
    expect(mergePatch({ x: 1, y: { z: 2 } }, createMergePatch({ x: 1, y: { z: 2 } }, { y: { z: 3, w: [1] } }))).toEqual({ y: { z: 3, w: [1] } });
  });

  it('refuses prototype keys, non-finite numbers, deep nesting, long strings and big arrays, naming the path', () => {
    const hostile = JSON.parse('{"risk": {"__proto__": {"polluted": true}}, "a": {"constructor": 1}, "prototype": 2}');
    expect(checkPatch(hostile).map((i) => `${i.path} ${i.rule}`)).toEqual(['risk.__proto__ patch.forbidden_key', 'a.constructor patch.forbidden_key', 'prototype patch.forbidden_key']);
    expect(() => mergePatch({}, hostile)).toThrow(/refused key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(checkPatch({ risk: { maxUsdPerTrade: NaN, maxDailyLossUsd: Infinity } }).map((i) => i.path)).toEqual(['risk.maxUsdPerTrade', 'risk.maxDailyLossUsd']);
    let deep: Record<string, unknown> = { x: 1 };
    for (let i = 0; i < 30; i++) deep = { d: deep };
    expect(checkPatch(deep)[0]!.rule).toBe('patch.too_deep');
    expect(checkPatch({ s: 'x'.repeat(5000) })[0]).toMatchObject({ path: 's', rule: 'patch.too_long' });
    expect(checkPatch({ a: new Array(300).fill(0) })[0]).toMatchObject({ path: 'a', rule: 'patch.too_many_items' });
    expect(checkPatch({ f: () => 1 })[0]).toMatchObject({ path: 'f', rule: 'patch.not_json' });
  });
});

const ctx = { hasLiveCredentials: () => true, host: '127.0.0.1', consoleTokenSet: true };

/** A random valid config near the defaults (seeded): flips hot and cold fields, adds/removes/retypes instances. */
function randomConfig(rng: Prng): RuntimeConfig {
  const c = defaultRuntimeConfig();
  if (rng.chance(0.5)) c.risk.maxUsdPerTrade = rng.int(1, 100);
  if (rng.chance(0.5)) c.risk.staleFeedSec = rng.int(1, 20);
  if (rng.chance(0.3)) c.heartbeatMs = rng.int(100, 5000);
  if (rng.chance(0.3)) c.sim.seed = rng.int(0, 1000);
  if (rng.chance(0.3)) c.mode = 'replay';
  if (rng.chance(0.3)) c.series[0]!.enabled = false;
  if (rng.chance(0.2)) c.series.push({ asset: 'eth', windowSec: 900, enabled: true });
  if (rng.chance(0.2)) c.series.reverse();
  if (rng.chance(0.3)) c.strategies = c.strategies.filter((s) => s.id !== 'late-sweep');
  if (rng.chance(0.3)) c.strategies.push({ id: 'extra', type: rng.chance(0.5) ? 'hammer' : 'late-sweep', budgetUsd: rng.int(1, 50), params: {} });
  for (const s of c.strategies) {
    if (rng.chance(0.3)) s.budgetUsd = rng.int(1, 80);
    if (rng.chance(0.3)) s.params = { ...s.params, enabled: rng.chance(0.5) };
    if (s.type === 'hammer' && rng.chance(0.4)) s.params = { ...s.params, dMin: rng.int(1, 20), maxAttemptsPerWindow: rng.int(1, 9) };
    if (s.type === 'time-bucket' && rng.chance(0.4)) s.params = { ...s.params, maxStopOrders: rng.int(1, 9), legChoice: 'UP_ONLY' };
  }
  if (rng.chance(0.2)) c.strategies.reverse();
  const v = validateConfig(c, ctx);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.config;
}

describe('hot / restart split', () => {
  it('projectHot(running, desired): running → projected is all hot, projected → desired is all restart (200 seeded pairs)', () => {
    const rng = new Prng('config-split');
    for (let i = 0; i < 200; i++) {
      const running = randomConfig(rng);
      const desired = randomConfig(rng);
      const projected = projectHot(running, desired);
      const hot = diffConfigs(running, projected);
      const cold = diffConfigs(projected, desired);
      expect(hot.every((c) => c.hot), JSON.stringify(hot)).toBe(true);
      expect(cold.every((c) => !c.hot), JSON.stringify(cold)).toBe(true);
      const all = diffConfigs(running, desired);
      expect(new Set([...hot, ...cold].map((c) => c.path))).toEqual(new Set(all.map((c) => c.path)));
      expect(hashConfig(projectHot(projected, desired))).toBe(hashConfig(projected)); // idempotent
      if (cold.length === 0) expect(hashConfig(projected)).toBe(hashConfig(desired));
    }
  });

  it('field groups say which part a hot path belongs to', () => {
    expect(configFieldGroups.risk('risk.maxUsdPerTrade')).toBe(true);
    expect(configFieldGroups.feedGate('risk.allowSpotOnlyTrading') && configFieldGroups.feedGate('risk.staleFeedSec')).toBe(true);
    expect(configFieldGroups.feedGate('risk.maxUsdPerTrade')).toBe(false);
    expect(configFieldGroups.strategies('strategies.hammer.params.dMin') && configFieldGroups.strategies('strategies.extra')).toBe(true);
    expect(configFieldGroups.strategies('strategies.hammer.budgetUsd')).toBe(false);
    expect(configFieldGroups.budgets('strategies.hammer.budgetUsd') && configFieldGroups.budgets('strategies.extra')).toBe(true);
    expect(configFieldGroups.budgets('strategies.hammer.params.dMin')).toBe(false);
    expect(configFieldGroups.heartbeat('heartbeatMs')).toBe(true);
    // Series: switched on/off, added or removed (the whole item), reordered (the list) — never another section's path.
    expect(configFieldGroups.series('series.btc-300.enabled') && configFieldGroups.series('series.eth-900') && configFieldGroups.series('series')).toBe(true);
    expect(configFieldGroups.series('strategies.hammer.params.series') || configFieldGroups.series('seriesX')).toBe(false);
  });
});

describe('paths for people and the JSON Schema', () => {
  it('resolves list items by id, asset-window or index and builds the one-value merge patch', () => {
    const c = defaultRuntimeConfig();
    expect(resolvePath(c, 'strategies.hammer.params.dMin')).toEqual(['strategies', 1, 'params', 'dMin']);
    expect(resolvePath(c, 'strategies.1.budgetUsd')).toEqual(['strategies', 1, 'budgetUsd']);
    expect(resolvePath(c, 'series.btc-900.enabled')).toEqual(['series', 1, 'enabled']);
    expect(() => resolvePath(c, 'strategies.nope.params')).toThrow(/no item 'nope'/);
    expect(() => resolvePath(c, 'risk.__proto__')).toThrow(/bad path/);
    expect(patchForPath(c, ['risk', 'maxUsdPerTrade'], 20)).toEqual({ risk: { maxUsdPerTrade: 20 } });
    const p = patchForPath(c, ['strategies', 1, 'params', 'dMin'], 7) as { strategies: RuntimeConfig['strategies'] };
    expect(p.strategies).toHaveLength(c.strategies.length);
    expect(p.strategies[1]!.params).toEqual({ dMin: 7 });
    expect(p.strategies[0]).toEqual(c.strategies[0]);
  });

  it('z.toJSONSchema gives the form types, ranges, defaults, descriptions and the updatable flags', () => {
    const { config, strategyParams } = configJsonSchemas();
    const props = config.properties as Record<string, Record<string, unknown>>;
    expect(props.heartbeatMs).toMatchObject({ type: 'integer', minimum: 100, maximum: 60_000, default: 1000, updatable: true });
    expect(props.mode).toMatchObject({ enum: ['paper', 'live', 'replay'], updatable: false });
    const risk = props.risk!.properties as Record<string, Record<string, unknown>>;
    expect(risk.maxUsdPerTrade).toMatchObject({ type: 'number', exclusiveMinimum: 0, maximum: 100_000, default: 50, updatable: true });
    expect(String(risk.maxUsdPerTrade!.description)).toContain('MAX_USD_PER_TRADE');
    expect(Object.keys(strategyParams).sort()).toEqual(['hammer', 'late-sweep', 'time-bucket', 'trend-window', 'two-sided-maker']);
    const hammer = strategyParams.hammer!.properties as Record<string, Record<string, unknown>>;
    expect(hammer.maxEntryPrice).toMatchObject({ exclusiveMinimum: 0, maximum: 0.99, default: 0.97, updatable: true });
    expect(hammer.maxAttemptsPerWindow).toMatchObject({ updatable: false });
    expect(JSON.parse(JSON.stringify(config))).toEqual(config); // plain JSON
  });
});
