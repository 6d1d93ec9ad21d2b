/**
 * Config field helpers shared by every strategy schema.
 *
 * Convention (same as lib/schemas/config.ts): every field carries `.meta({ updatable, description })`,
 * `updatable: true` = hot-applied while running, false = needs a restart. Spec parameters keep their
 * SPEC.md UPPER_CASE name at the start of the description ("ENTRY_BID_THRESHOLD: ..."); the config key is
 * the camelCase form. `.meta()` is applied last so the flag survives `.default()` wrapping.
 */
import { z } from 'zod';

export interface FieldMeta {
  readonly updatable: boolean;
  readonly description: string;
  readonly [k: string]: unknown;
}

export const hot = (description: string): FieldMeta => ({ updatable: true, description });
export const cold = (description: string): FieldMeta => ({ updatable: false, description });

/** A probability / price strictly inside (0, 1]. */
export const price01 = () => z.number().gt(0).lte(1);

/** Fields every strategy config has: enable flag, series (asset + window lengths), instance label. */
export function commonFields(defaults: { enabled: boolean; windowSecs: readonly number[] }) {
  return {
    enabled: z.boolean().default(defaults.enabled).meta(hot('Run this strategy (disabled = emits nothing new).')),
    asset: z
      .string()
      .regex(/^[a-z]{2,10}$/, 'lower-case asset symbol, e.g. btc')
      .default('btc')
      .meta(cold('Asset of the Up/Down series to trade (btc, eth, sol, xrp).')),
    windowSecs: z
      .array(z.number().int().positive().max(86_400))
      .min(1)
      .default([...defaults.windowSecs])
      .meta(cold('Window lengths (s) of the series to trade, e.g. [300, 900] for 5m and 15m.')),
  };
}

/** Names of the fields of a strict object schema flagged `updatable: true`. */
export function updatableFields(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([, field]) => (field.meta() as FieldMeta | undefined)?.updatable === true)
    .map(([key]) => key);
}
