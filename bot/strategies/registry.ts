/**
 * Static strategy registry: id → { title, description, strict zod config schema (defaults, ranges,
 * `.meta({ updatable, description })` per field), factory }. No module state beyond this constant table.
 *
 * API: listStrategies(), getStrategyDefinition(id), parseStrategyConfig(id, raw) (throws ZodError with the
 * field path), createStrategy(id, raw), updatableFieldsOf(id), checkConfigUpdate(id, current, next) (the list of
 * changed fields that are NOT hot-updatable: non-empty = restart required).
 */
import type { z } from 'zod';
import type { Strategy, StrategyDefinition } from './strategy';
import { defineStrategy } from './strategy';
import { updatableFields } from './common/config-fields';
import { timeBucketConfigSchema } from './time-bucket/config';
import { TIME_BUCKET_ID, TimeBucketStrategy } from './time-bucket/strategy';
import { lateSweepConfigSchema } from './late-sweep/config';
import { LATE_SWEEP_ID, LateSweepStrategy } from './late-sweep/strategy';
import { hammerConfigSchema } from './hammer/config';
import { HAMMER_ID, HammerStrategy } from './hammer/strategy';
import { trendWindowConfigSchema } from './trend-window/config';
import { TREND_WINDOW_ID, TrendWindowStrategy } from './trend-window/strategy';
import { twoSidedMakerConfigSchema } from './two-sided-maker/config';
import { TWO_SIDED_MAKER_ID, TwoSidedMakerStrategy } from './two-sided-maker/strategy';

export const strategyRegistry = {
  [TIME_BUCKET_ID]: defineStrategy({
    id: TIME_BUCKET_ID,
    title: 'Time bucket',
    description: 'One maker round per window on one leg, with take profit, stop loss and a late mode.',
    configSchema: timeBucketConfigSchema,
    create: (c) => new TimeBucketStrategy(c),
  }),
  [LATE_SWEEP_ID]: defineStrategy({
    id: LATE_SWEEP_ID,
    title: 'Late sweep',
    description: 'In the last minutes buy the side priced ≥ 0.90 up to a USD target; stop at 0.70.',
    configSchema: lateSweepConfigSchema,
    create: (c) => new LateSweepStrategy(c),
  }),
  [HAMMER_ID]: defineStrategy({
    id: HAMMER_ID,
    title: 'Hammer',
    description: 'Last-seconds FOK taker on positive EV after a hard move, p_hat from the TWAP settlement model.',
    configSchema: hammerConfigSchema,
    create: (c) => new HammerStrategy(c),
  }),
  [TREND_WINDOW_ID]: defineStrategy({
    id: TREND_WINDOW_ID,
    title: 'Trend window',
    description: 'Late-band trend follower (Up > 0.60, Down < 0.40) with a vetoing fusion of book signals.',
    configSchema: trendWindowConfigSchema,
    create: (c) => new TrendWindowStrategy(c),
  }),
  [TWO_SIDED_MAKER_ID]: defineStrategy({
    id: TWO_SIDED_MAKER_ID,
    title: 'Two-sided maker',
    description: 'Post-only bids on Up and Down around the mid, volatility and inventory aware; complete-set arbitrage.',
    configSchema: twoSidedMakerConfigSchema,
    create: (c) => new TwoSidedMakerStrategy(c),
  }),
} as const satisfies Record<string, StrategyDefinition>;

export type StrategyId = keyof typeof strategyRegistry;
export const strategyIds = Object.keys(strategyRegistry) as StrategyId[];

export type StrategyConfigOf<I extends StrategyId> = z.output<(typeof strategyRegistry)[I]['configSchema']>;

export function isStrategyId(id: string): id is StrategyId {
  return Object.prototype.hasOwnProperty.call(strategyRegistry, id);
}

export function getStrategyDefinition(id: string): StrategyDefinition {
  if (!isStrategyId(id)) throw new Error(`unknown strategy '${id}' (known: ${strategyIds.join(', ')})`);
  return strategyRegistry[id] as unknown as StrategyDefinition;
}

export function listStrategies(): { id: StrategyId; title: string; description: string; updatable: string[] }[] {
  return strategyIds.map((id) => ({
    id,
    title: strategyRegistry[id].title,
    description: strategyRegistry[id].description,
    updatable: updatableFieldsOf(id),
  }));
}

export function parseStrategyConfig(id: string, raw: unknown): unknown {
  return getStrategyDefinition(id).configSchema.parse(raw ?? {});
}

export function createStrategy(id: string, raw: unknown = {}): Strategy {
  const def = getStrategyDefinition(id);
  return def.create(def.configSchema.parse(raw ?? {}));
}

export function updatableFieldsOf(id: string): string[] {
  return updatableFields(getStrategyDefinition(id).configSchema);
}

/** Changed fields that need a restart (empty = the whole change may be hot-applied). */
export function checkConfigUpdate(id: string, current: Record<string, unknown>, next: Record<string, unknown>): string[] {
  const hot = new Set(updatableFieldsOf(id));
  const keys = new Set([...Object.keys(current), ...Object.keys(next)]);
  return [...keys].filter((k) => !hot.has(k) && JSON.stringify(current[k]) !== JSON.stringify(next[k])).sort();
}
