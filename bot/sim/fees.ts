/**
 * Taker fee of the crypto Up/Down markets: fee = shares x rate x (p x (1 - p))^exponent, rounded half-up to 5
 * decimals (amounts under 0.00001 charge nothing). Makers pay 0 when takerOnly. Returned in micro-pUSD (integer).
 * With exponent 1 the rounding is exact (integer arithmetic); other exponents fall back to floating point.
 */
import type { FeeParams } from './market';

export function takerFeeMicro(sharesMicro: number, priceMilli: number, fees: FeeParams): number {
  if (fees.exponent === 1) {
    const rateMicro = BigInt(Math.round(fees.rate * 1e6));
    const n = BigInt(Math.round(sharesMicro)) * rateMicro * BigInt(priceMilli) * BigInt(1000 - priceMilli);
    const units = (n + 5_000_000_000_000n) / 10_000_000_000_000n;
    return Number(units) * 10;
  }
  const p = priceMilli / 1000;
  const raw = (sharesMicro / 1e6) * fees.rate * Math.pow(p * (1 - p), fees.exponent);
  return Math.round(raw * 1e5) * 10;
}

export function takerFeeUsd(shares: number, price: number, fees: FeeParams): number {
  return takerFeeMicro(Math.round(shares * 1e6), Math.round(price * 1000), fees) / 1e6;
}
