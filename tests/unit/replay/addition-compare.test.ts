/**
 * Addition comparisons (bot/replay/addition-compare.ts): patches merge deeply without touching their inputs; a flag
 * the strategy schema does not know is a "flag not in schema yet" row, a bad value an "invalid patch" row; arms that
 * parse to the same config share a key; the verdict at and around the no-effect threshold; a loser on by default fails
 * the off-by-default check and shows in the table.
 */
import { describe, expect, it } from 'vitest';
import {
  comparedRow, comparisonTable, mergePatch, NO_EFFECT_USD, resolveComparison, skippedRow, verdictOf, type AdditionComparison, type ArmMetrics,
} from '../../../bot/replay/addition-compare';

const MAKER = 'two-sided-maker';
const arm = (pnlUsd: number, ledgers = `L${pnlUsd}`): ArmMetrics => ({ pnlUsd, feesUsd: 0, maxDrawdownUsd: 1, fillRatio: 0.5, markout30s: -0.01, trades: 3, fills: 4, ledgers });
const flag = (name: string): AdditionComparison => ({ strategyType: MAKER, addition: name, withPatch: { [name]: true }, withoutPatch: { [name]: false } });

describe('mergePatch', () => {
  it('merges nested objects key by key, replaces the rest, and mutates neither input', () => {
    const base = { enabled: true, weights: { a: 0.3, b: 0.2 }, list: [1, 2] };
    const patch = { weights: { b: 0 }, list: [3] };
    expect(mergePatch(base, patch)).toEqual({ enabled: true, weights: { a: 0.3, b: 0 }, list: [3] });
    expect(base).toEqual({ enabled: true, weights: { a: 0.3, b: 0.2 }, list: [1, 2] });
    expect(patch).toEqual({ weights: { b: 0 }, list: [3] });
  });
});

describe('resolveComparison', () => {
  it('a flag the schema does not know yet is a row status, not a throw', () => {
    const r = resolveComparison(flag('enableNoSuchAddition'), { enabled: true });
    expect(r).toMatchObject({ ok: false, status: 'flag not in schema yet' });
    expect(!r.ok && r.message).toContain('enableNoSuchAddition');
  });

  it('a known field with a bad value is an invalid patch', () => {
    const r = resolveComparison({ strategyType: MAKER, addition: 'x', withPatch: { baseSpread: 2 }, withoutPatch: {} }, {});
    expect(r).toMatchObject({ ok: false, status: 'invalid patch' });
  });

  it('arms that parse to the same config share a key; defaultOn when the defaults are the "with" arm', () => {
    const on = resolveComparison(flag('enableArbitrage'), { enabled: true });
    if (!on.ok) throw new Error(on.message);
    expect(on.defaultOn).toBe(true);
    expect(on.withKey).not.toBe(on.withoutKey);
    const reverse = resolveComparison({ strategyType: MAKER, addition: 'no arb', withPatch: { enableArbitrage: false }, withoutPatch: {} }, { enabled: true });
    if (!reverse.ok) throw new Error(reverse.message);
    expect(reverse.defaultOn).toBe(false);
    expect(reverse.withoutKey).toBe(on.withKey); // {} and { enableArbitrage: true } are the same strategy
  });
});

describe('verdictOf', () => {
  it('at and around the no-effect threshold', () => {
    expect(NO_EFFECT_USD).toBe(0.01);
    expect(verdictOf(arm(1.01), arm(1))).toBe('no effect');
    expect(verdictOf(arm(1.010002), arm(1))).toBe('wins');
    expect(verdictOf(arm(0.99), arm(1))).toBe('no effect');
    expect(verdictOf(arm(0.989998), arm(1))).toBe('loses');
  });

  it('identical ledgers are no effect whatever the figures say', () => {
    expect(verdictOf(arm(5, 'same'), arm(1, 'same'))).toBe('no effect');
  });
});

describe('rows and table', () => {
  it('a loser on by default fails the off-by-default check; off by default, or winning, it passes', () => {
    const c = flag('enableArbitrage');
    expect(comparedRow(c, 3, true, arm(1), arm(2)).offByDefaultOk).toBe(false);
    expect(comparedRow(c, 3, false, arm(1), arm(2)).offByDefaultOk).toBe(true);
    expect(comparedRow(c, 3, true, arm(3), arm(2)).offByDefaultOk).toBe(true);
  });

  it('prints compared rows with with / without pairs and Δ, and skipped rows with their reason', () => {
    const rows = [
      comparedRow(flag('enableKelly'), 3, true, arm(-1.5), arm(2.25)),
      skippedRow(flag('enableRegime'), 3, 'flag not in schema yet', 'unknown to the two-sided-maker schema: enableRegime'),
    ];
    const lines = comparisonTable(rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/enableKelly\s+3\s+-1\.50\s+2\.25\s+-3\.75\s+1\.00 \/ 1\.00\s+50\.0 \/ 50\.0\s+-0\.0100 \/ -0\.0100\s+3 \/ 3\s+loses \[default on\] — LOSES AND IS ON BY DEFAULT$/);
    expect(lines[3]).toContain('flag not in schema yet (unknown to the two-sided-maker schema: enableRegime)');
  });
});
