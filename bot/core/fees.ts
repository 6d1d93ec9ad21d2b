/**
 * Taker fee for crypto Up/Down markets (protocol reference §6):
 * fee (pUSD) = shares × rate × (p·(1−p))^exponent, rounded to 5 decimals; makers pay nothing when takerOnly.
 *
 * Invariants: fees are never negative; a fee below 0.00001 rounds to 0; symmetric in p.
 * The one fee module of the bot (execution, the fill model and the strategies' EV maths all use it); the simulator
 * keeps its own integer implementation on purpose: it plays the venue, so agreeing with it proves something.
 */
export interface FeeSchedule {
  rate: number;
  exponent: number;
  takerOnly: boolean;
  rebateRate?: number;
}

export const DEFAULT_CRYPTO_FEES: FeeSchedule = { rate: 0.07, exponent: 1, takerOnly: true, rebateRate: 0.2 };
export const NO_FEES: FeeSchedule = { rate: 0, exponent: 1, takerOnly: true };

export function round5(x: number): number {
  return Math.round(x * 1e5 + 1e-9) / 1e5;
}

/** Fee in pUSD for `shares` traded at `priceProb` as taker (or maker when takerOnly is false). */
export function takerFeeUsd(schedule: FeeSchedule, shares: number, priceProb: number): number {
  if (!(shares > 0) || schedule.rate <= 0) return 0;
  const p = Math.min(Math.max(priceProb, 0), 1);
  return Math.max(0, round5(shares * schedule.rate * Math.pow(p * (1 - p), schedule.exponent)));
}

/** Taker fee of one share at price p (5 decimals): what EV maths subtracts per share. */
export function takerFeePerShare(priceProb: number, schedule: FeeSchedule): number {
  return takerFeeUsd(schedule, 1, priceProb);
}

export function makerFeeUsd(schedule: FeeSchedule, shares: number, priceProb: number): number {
  return schedule.takerOnly ? 0 : takerFeeUsd(schedule, shares, priceProb);
}
