/**
 * decimalNumber and decimalNumberAt (bot/protocol/decimal.ts) against Number: the same double (Object.is) for edge cases, the venue's
 * own shapes (prices, sizes, spot prices with 8 decimals), and a million pseudo-random decimals of every length,
 * including integers at and beyond 2^53 and fractions of up to 22 digits; and malformed strings go to Number.
 */
import { describe, expect, it } from 'vitest';
import { decimalNumber, decimalNumberAt } from '../../../bot/protocol/decimal';

function same(s: string): void {
  const a = decimalNumber(s);
  const b = Number(s);
  if (!Object.is(a, b)) expect({ s, a }).toEqual({ s, a: b });
  // The same text inside a longer one, read in place.
  const c = decimalNumberAt(`"p":"${s}",`, 5, 5 + s.length);
  if (!Object.is(c, b)) expect({ s, at: c }).toEqual({ s, at: b });
}

describe('decimalNumber equals Number', () => {
  it('edge cases and malformed strings', () => {
    const cases = ['', '0', '00', '0.0', '0.5', '.5', '5.', '.', '1.', '-1', '+1', ' 1', '1 ', '1e3', '1.5e-3', '0x10', 'NaN', 'Infinity', '1..2', '1.2.3', '１', 'abc',
      '9007199254740991', '9007199254740992', '9007199254740993', '90071992547409915', '0.9007199254740993', '123456789012345678901234', '0.0000000000000000000001',
      '0.00000000000000000000001', '0.1', '0.2', '0.3', '0.7', '1.1', '2.675', '62693.08000000', '19720.58', '0.57', '0.999', '1', '1.0000000000000002', '4.35', '0.01', '100'];
    for (const s of cases) same(s);
  });

  it('a million pseudo-random decimals of every length', () => {
    let x = 123456789;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 1_000_000; i++) {
      const intDigits = next() % 18;
      const fracDigits = next() % 24;
      let s = intDigits === 0 ? '0' : String(1 + (next() % 9));
      for (let d = 1; d < intDigits; d++) s += String(next() % 10);
      if (fracDigits > 0) {
        s += '.';
        for (let d = 0; d < fracDigits; d++) s += String(next() % 10);
      }
      same(s);
    }
  });
});
