/**
 * Taker fee maths for the crypto Up/Down markets (reference/polymarket-protocols.md §6).
 *
 * fee (pUSD) = shares × rate × (p × (1 − p))^exponent, rounded to 5 decimals (amounts below 0.00001 → 0).
 * Makers pay nothing when the schedule is takerOnly. Pure functions, no state.
 */
import type { FeeSchedule } from '../context';

export const DEFAULT_FEE_SCHEDULE: FeeSchedule = { rate: 0.07, exponent: 1, takerOnly: true };

/** Round to 5 decimals as the venue does (half away from zero on the scaled value, guarded for FP noise). */
export function roundFee5(x: number): number {
  if (!(x > 0)) return 0;
  return Math.round(x * 1e5 + 1e-9) / 1e5;
}

/** Taker fee of one share bought or sold at price p (rounded to 5 decimals). */
export function takerFeePerShare(p: number, fee: FeeSchedule): number {
  if (!(p > 0 && p < 1)) return 0;
  return roundFee5(fee.rate * Math.pow(p * (1 - p), fee.exponent));
}

/** Taker fee of `shares` shares at price p (rounded to 5 decimals on the total). */
export function takerFeeUsd(shares: number, p: number, fee: FeeSchedule): number {
  if (!(p > 0 && p < 1) || !(shares > 0)) return 0;
  return roundFee5(shares * fee.rate * Math.pow(p * (1 - p), fee.exponent));
}

/** Fee paid by a maker fill (0 on takerOnly schedules). */
export function makerFeeUsd(shares: number, p: number, fee: FeeSchedule): number {
  return fee.takerOnly ? 0 : takerFeeUsd(shares, p, fee);
}
