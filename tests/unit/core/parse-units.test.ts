/**
 * Order amounts in 6-decimal units (bot/core/rounding.ts `parseUnits`, ported from viem / ox `Value.from` so that a
 * replay does not load viem): the same integer as viem's `parseUnits` for every input the order code gives it
 * (`x.toString()` of amounts) and for hand-picked rounding edges, and the same refusals (exponents, junk).
 */
import { parseUnits as viemParseUnits } from 'viem/utils';
import { describe, expect, it } from 'vitest';
import { limitOrderAmounts, marketOrderAmounts, parseUnits } from '../../../bot/core/rounding';
import { Prng } from '../../../bot/util/prng';

const same = (s: string, d: number) => {
  let ours: bigint | string;
  let theirs: bigint | string;
  try {
    ours = parseUnits(s, d);
  } catch {
    ours = 'throws';
  }
  try {
    theirs = viemParseUnits(s, d);
  } catch {
    theirs = 'throws';
  }
  return { s, d, ours, theirs };
};

describe('parseUnits (port of viem)', () => {
  it('equals viem on amounts as the order code writes them (x.toString()) at 6 and other decimals', () => {
    const prng = new Prng('parse-units');
    const out: ReturnType<typeof same>[] = [];
    for (let i = 0; i < 20_000; i++) {
      const mag = 10 ** Math.floor(prng.next() * 12 - 8);
      const x = Math.round(prng.next() * 1e6) * mag / 1e3;
      const d = i % 5 === 0 ? Math.floor(prng.next() * 19) : 6;
      out.push(same(x.toString(), d), same((-x).toString(), d), same(x.toFixed(Math.floor(prng.next() * 12)), d));
    }
    const diff = out.filter((r) => r.ours !== r.theirs);
    expect(diff).toEqual([]);
    expect(out.filter((r) => r.ours === 'throws').length).toBeGreaterThan(0); // tiny amounts print with an exponent
  });

  it('equals viem on rounding edges and refuses what viem refuses', () => {
    const cases = ['0.0000005', '0.0000004999', '9.9999995', '0.9999999', '99.99999950', '-1.5', '-0.0000005', '.5', '5.', '', '-', '000.0100', '1e-7', '1.2e+21', 'abc', '1.2.3', ' 1', '0x10', '123456789012345678901234567890.123456789'];
    const rows = [0, 1, 2, 6].flatMap((d) => cases.map((s) => same(s, d)));
    expect(rows.filter((r) => r.ours !== r.theirs)).toEqual([]);
    expect(rows.filter((r) => r.ours === 'throws').length).toBeGreaterThan(20);
    expect(parseUnits('9.9999995', 6)).toBe(10_000_000n);
    expect(parseUnits('0.5', 0)).toBe(1n);
    expect(parseUnits('-0.0000005', 6)).toBe(-1n);
    expect(() => parseUnits('1e-7', 6)).toThrow(/not a valid decimal number/);
  });

  it('gives the order amounts their 6-decimal strings', () => {
    expect(limitOrderAmounts('BUY', 10, 0.53, '0.01')).toEqual({ makerAmount: '5300000', takerAmount: '10000000', shares: 10 });
    expect(marketOrderAmounts('SELL', 12.345, 0.4, '0.01')).toMatchObject({ makerAmount: '12340000' });
  });
});
