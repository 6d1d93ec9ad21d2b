/**
 * `decimalNumber(s)`: `Number(s)` for the venue's decimal strings, without the runtime's string-to-number call.
 *
 * Prices and sizes arrive as strings ("0.57", "19720.58", "62693.08000000") and are converted millions of times in a
 * replay. For a plain decimal (digits, optionally one '.' followed by digits) whose digits form an integer m below
 * 2^53 and that has k <= 22 digits after the point, m and 10^k are exact doubles and IEEE division rounds correctly, so
 * m / 10^k is exactly the double nearest the decimal: the value Number(s) returns (Clinger's fast path). Any other
 * string is handed to Number. tests/unit/protocol/decimal.test.ts holds the two equal.
 *
 * Invariants: pure; decimalNumber(s) is Object.is-equal to Number(s) for every string s.
 */

/** Exact powers of ten (literals, not Math.pow: every one up to 1e22 is a double exactly). */
const POW10: readonly number[] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

export function decimalNumber(s: string): number {
  return decimalNumberAt(s, 0, s.length);
}

/** `Number(text.slice(from, to))`, without the slice when the text there is a plain decimal (see the header). */
export function decimalNumberAt(text: string, from: number, to: number): number {
  const n = to - from;
  if (n <= 0 || n > 24) return Number(text.slice(from, to));
  let m = 0;
  let frac = -1;
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0 && digits > 0) frac = 0;
    else return Number(text.slice(from, to));
  }
  // m must be exact (every partial value was then exact too). "5." is 5, as Number reads it.
  if (m > 9_007_199_254_740_991) return Number(text.slice(from, to));
  return frac > 0 ? m / POW10[frac]! : m;
}
