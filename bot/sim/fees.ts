/**
 * Taker fee of the crypto Up/Down markets: fee = shares x rate x (p x (1 - p))^exponent, rounded to 5 decimals
 * (amounts under 0.00001 charge nothing). Makers pay 0 when takerOnly. Returned in micro-pUSD (integer).
 */
import type { FeeParams } from './market';

export function takerFeeUsd(shares: number, price: number, fees: FeeParams): number {
  const raw = shares * fees.rate * Math.pow(price * (1 - price), fees.exponent);
  return Math.round(raw * 1e5 + 1e-9) / 1e5;
}

export function takerFeeMicro(sharesMicro: number, priceMilli: number, fees: FeeParams): number {
  return Math.round(takerFeeUsd(sharesMicro / 1e6, priceMilli / 1000, fees) * 1e6);
}
