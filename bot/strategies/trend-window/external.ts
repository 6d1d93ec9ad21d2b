/**
 * External signal plug-ins for trend-window (options put/call ratio, sentiment index, ...): optional, absent
 * by default. A plug-in does I/O, so it lives in the runtime, never in the strategy: the runtime polls it on
 * its own schedule and publishes the latest value into `ctx.external` under the plug-in id. The strategy only
 * reads that map, weights each id by `externalWeights[id]` and ignores values that are missing, non-finite or
 * older than `externalMaxAgeSec` — an unreachable plug-in is simply off.
 */
import type { ExternalSignalValue } from '../context';

export interface ExternalSignalPlugin {
  /** Key in `ctx.external` and in the trend-window `externalWeights` config. */
  readonly id: string;
  /** Human description for the console. */
  readonly description: string;
  /**
   * Fetch the current value mapped to [−1, 1] (positive favours Up), or undefined when unreachable.
   * Called by the runtime with its injected clock time; must never throw.
   */
  poll(nowMs: number): Promise<ExternalSignalValue | undefined>;
}

/** Normalise a raw plug-in reading for the context map (clamped; undefined when unusable). */
export function toExternalValue(value: number, tsMs: number): ExternalSignalValue | undefined {
  if (!Number.isFinite(value) || !Number.isFinite(tsMs)) return undefined;
  return { value: Math.max(-1, Math.min(1, value)), tsMs };
}
