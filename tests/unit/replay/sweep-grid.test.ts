/**
 * Sweep grids: seed 001's keys and our config paths resolve to strategy-instance params, every value is checked by the
 * strategy schema and every combination by the guardrails before any work (errors name the key and the value), the
 * size is capped, expansion is the cartesian product with the first key slowest, `--set` flags give the same shape,
 * and applyPoint changes only the instances a point names.
 */
import { describe, expect, it } from 'vitest';
import { defaultRuntimeConfig } from '../../../lib/schemas/config';
import { applyPoint, expandGrid, gridFromFlags, MAX_GRID_POINTS, parseGrid } from '../../../bot/replay/sweep-grid';

describe('parseGrid', () => {
  it("maps seed 001's keys onto the first hammer instance and expands in itertools.product order", () => {
    const grid = parseGrid('{"d_min":[3,5],"hammer_secs":[10,15,20],"max_entry_price":[0.9],"watch_return_threshold":[0.004]}');
    expect(grid.target).toBe('hammer');
    expect(grid.axes.map((a) => a.path)).toEqual(['hammer.dMin', 'hammer.hammerSecs', 'hammer.maxEntryPrice', 'hammer.watchReturnThreshold']);
    expect(grid.size).toBe(6);
    const pts = expandGrid(grid);
    expect(pts.map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(pts.map((p) => [p.params['hammer.dMin'], p.params['hammer.hammerSecs']])).toEqual([
      [3, 10],
      [3, 15],
      [3, 20],
      [5, 10],
      [5, 15],
      [5, 20],
    ]);
    expect(pts.every((p) => p.params['hammer.maxEntryPrice'] === 0.9 && p.params['hammer.watchReturnThreshold'] === 0.004)).toBe(true);
  });

  it("takes seed 001's README grid whole, fee_bps as the hammer's extraFeeBps", () => {
    const seed = '{"watch_return_threshold":[0.003,0.005],"hammer_secs":[10,15,20],"d_min":[3,5],"max_entry_price":[0.9,0.95],"fee_bps":[8,10]}';
    const grid = parseGrid(seed);
    expect(grid.size).toBe(2 * 3 * 2 * 2 * 2);
    expect(grid.axes.map((a) => a.path).pop()).toBe('hammer.extraFeeBps');
    const last = expandGrid(grid).pop()!;
    expect(last.params).toEqual({
      'hammer.watchReturnThreshold': 0.005,
      'hammer.hammerSecs': 20,
      'hammer.dMin': 5,
      'hammer.maxEntryPrice': 0.95,
      'hammer.extraFeeBps': 10,
    });
    expect(() => parseGrid({ fee_bps: [-1] })).toThrow(/'fee_bps' \(hammer\.extraFeeBps\): value -1 rejected/);
  });

  it('takes instance paths, bare fields of the target, an explicit target and lone values', () => {
    const config = defaultRuntimeConfig();
    const grid = parseGrid({ 'hammer.dMin': [2, 4], pHatModel: ['twap', 'spot'], 'late-sweep.targetUsd': 12 }, { config });
    expect(grid.axes.map((a) => [a.key, a.path, a.values])).toEqual([
      ['hammer.dMin', 'hammer.dMin', [2, 4]],
      ['pHatModel', 'hammer.pHatModel', ['twap', 'spot']],
      ['late-sweep.targetUsd', 'late-sweep.targetUsd', [12]],
    ]);
    const other = parseGrid({ sweepAskThreshold: [0.92, 0.95] }, { strategy: 'late-sweep', config });
    expect(other.target).toBe('late-sweep');
    expect(other.axes[0]!.path).toBe('late-sweep.sweepAskThreshold');
  });

  it('rejects bad values naming the key and the value', () => {
    expect(() => parseGrid({ max_entry_price: [0.9, 1.2] })).toThrow(/grid key 'max_entry_price' \(hammer\.maxEntryPrice\): value 1\.2 rejected/);
    expect(() => parseGrid({ hammer_secs: [10, 'soon'] })).toThrow(/grid key 'hammer_secs' .*value "soon" rejected/);
    expect(() => parseGrid({ sigmaLookbackSec: [60, 60.5] })).toThrow(/sigmaLookbackSec.*value 60\.5 rejected/);
    expect(() => parseGrid({ d_min: [] })).toThrow(/grid key 'd_min'/);
    expect(() => parseGrid({ d_min: [{ x: 1 }] })).toThrow(/grid key 'd_min'/);
    expect(() => parseGrid({ d_min: [3, 3] })).toThrow(/value 3 is listed twice/);
  });

  it('rejects unknown keys, instances, clashes and seed keys on another strategy', () => {
    expect(() => parseGrid({ dMax: [1] })).toThrow(/'dMax' is not a parameter of hammer/);
    expect(() => parseGrid({ 'nope.dMin': [1] })).toThrow(/no strategy instance 'nope'/);
    expect(() => parseGrid({ d_min: [1], 'hammer.dMin': [2] })).toThrow(/'d_min' and 'hammer.dMin' both set hammer.dMin/);
    expect(() => parseGrid({ 'late-sweep.d_min': [1] })).toThrow(/hammer parameter, but instance 'late-sweep' is a late-sweep/);
    expect(() => parseGrid({ d_min: [1] }, { strategy: 'ghost' })).toThrow(/no strategy instance 'ghost'/);
    const noHammer = defaultRuntimeConfig();
    noHammer.strategies = noHammer.strategies.filter((s) => s.type !== 'hammer');
    expect(() => parseGrid({ d_min: [1] }, { config: noHammer })).toThrow(/no hammer instance/);
    expect(() => parseGrid('{"d_min": [1,')).toThrow(/not valid JSON/);
    expect(() => parseGrid('[1,2]')).toThrow(/JSON object/);
  });

  it('checks every combination against the guardrails, with the values of the point', () => {
    // D_MIN = 0 is schema-valid (nonnegative) but the guardrail wants > 0.
    expect(() => parseGrid({ d_min: [3, 0], hammer_secs: [10] })).toThrow(/grid point 1 \(d_min=0, hammer_secs=10\) breaks guardrail positive on hammer\.dMin/);
    // A stop at or above the entry threshold is refused for that combination only...
    expect(() => parseGrid({ 'late-sweep.sweepStopPrice': [0.6, 0.93], 'late-sweep.sweepAskThreshold': [0.95, 0.92] })).toThrow(
      /grid point 3 .*breaks guardrail stop-below-entry on late-sweep\.sweepStopPrice/,
    );
    // ...and a stop above the base threshold (0.9) is fine when the grid raises the threshold with it.
    expect(parseGrid({ 'late-sweep.sweepStopPrice': [0.92], 'late-sweep.sweepAskThreshold': [0.95] }).size).toBe(1);
  });

  it('caps the grid size', () => {
    const values = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
    expect(parseGrid({ dMin: values(100), hammerSecs: values(100) }).size).toBe(MAX_GRID_POINTS);
    expect(() => parseGrid({ dMin: values(101), hammerSecs: values(100) })).toThrow(/10100 points .*the cap is 10000/);
  });

  it('an empty grid is the base config alone', () => {
    const grid = parseGrid({});
    expect(expandGrid(grid)).toEqual([{ index: 0, params: {} }]);
  });
});

describe('gridFromFlags', () => {
  it('parses --set flags into the grid shape, with numbers, booleans, strings and ranges', () => {
    const flags = gridFromFlags(['--set hammer.dMin=3,5,8', '--set=pHatModel=twap,spot', 'enabled=true,false', 'watch_return_threshold=0.003:0.005:0.001']);
    expect(flags).toEqual({
      'hammer.dMin': [3, 5, 8],
      pHatModel: ['twap', 'spot'],
      enabled: [true, false],
      watch_return_threshold: [0.003, 0.004, 0.005],
    });
    expect(parseGrid(flags).size).toBe(3 * 2 * 2 * 3);
    expect(gridFromFlags(['hammerSecs=10:20:5'])).toEqual({ hammerSecs: [10, 15, 20] });
  });

  it('rejects malformed flags', () => {
    expect(() => gridFromFlags(['dMin'])).toThrow(/expected key=v1,v2/);
    expect(() => gridFromFlags(['dMin='])).toThrow(/expected key=v1,v2/);
    expect(() => gridFromFlags(['dMin=1', 'dMin=2'])).toThrow(/given twice/);
    expect(() => gridFromFlags(['dMin=5:1:1'])).toThrow(/from ≤ to and step > 0/);
    expect(() => gridFromFlags(['dMin=1:a:1'])).toThrow(/all numbers/);
    expect(() => gridFromFlags(['dMin=0:1:0.0001'])).toThrow(/the cap is 1000/);
  });
});

describe('applyPoint', () => {
  it('returns a new config with only the named instances changed and validated', () => {
    const config = defaultRuntimeConfig();
    const before = structuredClone(config);
    const [, second] = expandGrid(parseGrid({ d_min: [3, 8], 'late-sweep.targetUsd': [12] }, { config }));
    const next = applyPoint(config, second!);
    expect(config).toEqual(before);
    const hammer = next.strategies.find((s) => s.id === 'hammer')!;
    expect(hammer.params).toEqual({ ...before.strategies.find((s) => s.id === 'hammer')!.params, dMin: 8 });
    expect(next.strategies.find((s) => s.id === 'late-sweep')!.params.targetUsd).toBe(12);
    const untouched = (c: typeof config) => c.strategies.filter((s) => s.id !== 'hammer' && s.id !== 'late-sweep');
    expect(untouched(next)).toEqual(untouched(before));
    expect({ ...next, strategies: [] }).toEqual({ ...before, strategies: [] });
    expect(() => applyPoint(config, { index: 7, params: { 'ghost.dMin': 1 } })).toThrow(/point 7: no strategy instance for 'ghost.dMin'/);
    expect(() => applyPoint(config, { index: 8, params: { 'hammer.dMin': -1 } })).toThrow(/point 8: hammer\.dMin/);
  });
});
