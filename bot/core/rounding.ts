/**
 * Tick and min-size rounding and 6-decimal order amounts (protocol reference §3.5), computed exactly as
 * @polymarket/clob-client-v2 1.1.0 does so that a prepared order is byte-identical to the official one.
 *
 * Invariants:
 * - Limit (GTC/GTD): price rounded to the tick's price dp, shares rounded DOWN to 2 dp; the product is
 *   rounded up to amount dp + 4 then down to amount dp.
 * - Market (FOK/FAK): BUY amount is USD (maker side), SELL amount is shares; price rounded DOWN.
 *   (The docs round the BUY taker amount up; the SDK rounds it down. We follow the SDK – see report.)
 * - A valid price satisfies tick <= price <= 1 - tick.
 */

/**
 * A decimal string as an integer of `decimals` places, rounded half away from zero on the first dropped digit: viem's
 * `parseUnits` (2.57, `Value.from`, MIT), which the official client uses for order amounts, ported step for step so
 * that a replay or a sweep worker need not load viem (~230 modules) for this one function. Held against the installed
 * viem over random and edge inputs (tests/unit/core/parse-units.test.ts), so a viem that changes its rounding fails
 * there. Throws on anything but `-?digits[.digits]` / `-?.digits` (exponents included).
 */
export function parseUnits(value: string, decimals: number): bigint {
  if (!Number.isInteger(decimals) || decimals < 0) throw new Error(`Decimals "${decimals}" are invalid.`);
  if (!/^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/.test(value)) throw new Error(`Value \`${value}\` is not a valid decimal number.`);
  const dot = value.split('.');
  let integer = dot[0] ?? '';
  let fraction = dot[1] ?? '0';
  const negative = integer.startsWith('-');
  if (negative) integer = integer.slice(1);
  if (integer === '') integer = '0';
  fraction = fraction.replace(/(0+)$/, '');
  if (decimals === 0) {
    if (fraction.length > 0 && Number.parseInt(fraction[0]!, 10) >= 5) integer = `${BigInt(integer) + 1n}`;
    fraction = '';
  } else if (fraction.length > decimals) {
    const left = fraction.slice(0, decimals);
    if (Number.parseInt(fraction.slice(decimals, decimals + 1), 10) >= 5) {
      const carried = carryOne(left);
      if (carried.length > decimals) {
        fraction = carried.slice(1);
        integer = `${BigInt(integer) + 1n}`;
      } else fraction = carried;
    } else fraction = left;
  } else {
    fraction = fraction.padEnd(decimals, '0');
  }
  return BigInt(`${negative ? '-' : ''}${integer}${fraction}`);
}

/** A digit string plus one, with carry (one digit longer when it overflows). */
function carryOne(digits: string): string {
  const out = digits.split('');
  for (let i = out.length - 1; i >= 0; i--) {
    const d = Number.parseInt(out[i]!, 10) + 1;
    if (d < 10) {
      out[i] = String(d);
      return out.join('');
    }
    out[i] = '0';
  }
  return `1${out.join('')}`;
}

export type TickSize = '0.1' | '0.01' | '0.005' | '0.0025' | '0.001' | '0.0001';
export type OrderSide = 'BUY' | 'SELL';

export interface RoundConfig {
  price: number;
  size: number;
  amount: number;
}

export const ROUNDING: Record<TickSize, RoundConfig> = {
  '0.1': { price: 1, size: 2, amount: 3 },
  '0.01': { price: 2, size: 2, amount: 4 },
  '0.005': { price: 3, size: 2, amount: 5 },
  '0.0025': { price: 4, size: 2, amount: 6 },
  '0.001': { price: 3, size: 2, amount: 5 },
  '0.0001': { price: 4, size: 2, amount: 6 },
};

export function toTickSize(tick: number | string): TickSize {
  const s = typeof tick === 'number' ? String(tick) : String(Number(tick));
  if (s in ROUNDING) return s as TickSize;
  throw new RangeError(`unsupported tick size ${tick}`);
}

export function decimalPlaces(num: number): number {
  if (Number.isInteger(num)) return 0;
  const parts = num.toString().split('.');
  return parts.length <= 1 ? 0 : parts[1]!.length;
}
export function roundNormal(num: number, d: number): number {
  if (decimalPlaces(num) <= d) return num;
  return Math.round((num + Number.EPSILON) * 10 ** d) / 10 ** d;
}
export function roundDown(num: number, d: number): number {
  if (decimalPlaces(num) <= d) return num;
  return Math.floor(num * 10 ** d) / 10 ** d;
}
export function roundUp(num: number, d: number): number {
  if (decimalPlaces(num) <= d) return num;
  return Math.ceil(num * 10 ** d) / 10 ** d;
}

function fitAmount(x: number, rc: RoundConfig): number {
  if (decimalPlaces(x) <= rc.amount) return x;
  const up = roundUp(x, rc.amount + 4);
  return decimalPlaces(up) > rc.amount ? roundDown(up, rc.amount) : up;
}

export interface RawAmounts {
  makerAmount: string;
  takerAmount: string;
  /** Shares the order is for (limit: rounded size; market BUY: taker side). */
  shares: number;
}

const units = (x: number): string => parseUnits(x.toString(), 6).toString();

export function limitOrderAmounts(side: OrderSide, size: number, price: number, tick: TickSize): RawAmounts {
  const rc = ROUNDING[tick];
  const p = roundNormal(price, rc.price);
  const shares = roundDown(size, rc.size);
  const other = fitAmount(shares * p, rc);
  return side === 'BUY'
    ? { makerAmount: units(other), takerAmount: units(shares), shares }
    : { makerAmount: units(shares), takerAmount: units(other), shares };
}

export function marketOrderAmounts(side: OrderSide, amount: number, price: number, tick: TickSize): RawAmounts {
  const rc = ROUNDING[tick];
  const p = roundDown(price, rc.price);
  const maker = roundDown(amount, rc.size);
  const taker = fitAmount(side === 'BUY' ? maker / p : maker * p, rc);
  return { makerAmount: units(maker), takerAmount: units(taker), shares: side === 'BUY' ? taker : maker };
}

export function priceValid(price: number, tick: TickSize): boolean {
  const t = Number(tick);
  return price >= t && price <= 1 - t;
}

/** Snap a price onto the tick grid: BUY rounds down, SELL rounds up (never pay more / sell for less by rounding). */
export function snapPrice(price: number, tick: TickSize, side: OrderSide): number {
  const rc = ROUNDING[tick];
  const t = Number(tick);
  const n = price / t;
  const steps = side === 'BUY' ? Math.floor(n + 1e-9) : Math.ceil(n - 1e-9);
  return Number((steps * t).toFixed(rc.price));
}

/** Shares rounded down to 2 dp; undefined when below the market minimum. */
export function sizeOrUndefined(size: number, minSize: number): number | undefined {
  const s = roundDown(size, 2);
  return s >= minSize ? s : undefined;
}
