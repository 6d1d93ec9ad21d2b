/**
 * Pure rules of time-bucket (SPEC §3.3): cap schedule lookup, entry size, take-profit price, stop trigger.
 *
 * - Cap schedule: slices {fromSec, capUsd} sorted by fromSec; the cap at t seconds into the window is the last
 *   slice with fromSec ≤ t. A window length without its own schedule uses the 900 s one scaled by
 *   windowSec / 900 (so 0–300/300–600/600–900 becomes 0–100/100–200/200–300 for 5m).
 * - Size = max(floor(cap / price), MIN_TRADE_SIZE) shares.
 * - TP = min(entry + MIN_TP_INCREMENT rounded up to the tick, MAX_TP_PRICE).
 * - Stop trigger (normal) = max(entry − SL_OFFSET, SL_FLOOR); late mode with entry ≥
 *   LATE_REENTRY_ENTRY_THRESHOLD: LATE_SL_TRIGGER and no TP. Triggered when bid ≤ trigger.
 */
import { roundUpToTick } from '../common/market';

export interface CapSlice {
  readonly fromSec: number;
  readonly capUsd: number;
}

export function capAt(
  schedules: Readonly<Record<string, readonly CapSlice[]>>,
  windowSec: number,
  secondsInto: number,
): number | undefined {
  let slices = schedules[String(windowSec)];
  let scale = 1;
  if (!slices) {
    slices = schedules['900'];
    scale = windowSec / 900;
  }
  if (!slices || slices.length === 0) return undefined;
  let cap: number | undefined;
  for (const s of slices) if (s.fromSec * scale <= secondsInto + 1e-9) cap = s.capUsd;
  return cap ?? slices[0]!.capUsd;
}

export function entrySize(capUsd: number, price: number, minTradeSize: number): number {
  return Math.max(Math.floor(capUsd / price + 1e-9), minTradeSize);
}

export function takeProfitPrice(entry: number, minTpIncrement: number, maxTpPrice: number, tick: number): number {
  return Math.min(roundUpToTick(entry + minTpIncrement, tick), maxTpPrice);
}

export interface StopRule {
  readonly trigger: number;
  readonly takeProfit: boolean;
  readonly late: boolean;
}

export interface StopParams {
  readonly slOffset: number;
  readonly slFloor: number;
  readonly lateWindowSec: number;
  readonly lateReentryEntryThreshold: number;
  readonly lateSlTrigger: number;
}

/** Late mode starts at exactly LATE_WINDOW_SEC seconds left (inclusive). */
export function isLate(secondsLeft: number, lateWindowSec: number): boolean {
  return secondsLeft <= lateWindowSec + 1e-9;
}

export function stopRule(entry: number, secondsLeft: number, p: StopParams): StopRule {
  const late = isLate(secondsLeft, p.lateWindowSec);
  if (late && entry >= p.lateReentryEntryThreshold - 1e-9) {
    return { trigger: p.lateSlTrigger, takeProfit: false, late };
  }
  return { trigger: Math.max(entry - p.slOffset, p.slFloor), takeProfit: true, late };
}

export function stopTriggered(bid: number | undefined, rule: StopRule): boolean {
  return bid !== undefined && bid <= rule.trigger + 1e-9;
}
