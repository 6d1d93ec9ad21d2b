/**
 * What the learner reads from the configuration, and the config patches it writes. Read defensively: a trend-window
 * instance's params may not carry the learning fields (absent or invalid → the default, learning disabled) or the
 * `weights` object (then the strategy's parsed defaults are used, if its schema has them).
 *
 * Invariants: pure; patches send the whole `strategies` list with the one instance changed (merge patches replace
 * arrays), so every other instance is written back exactly as the config holds it.
 */
import type { RuntimeConfig, StrategyInstanceConfig } from '../../lib/schemas/config';
import { LEARNING_DEFAULTS, learningParamsSchema, type LearningParams } from '../../lib/schemas/learning';
import { parseStrategyConfig } from '../strategies/registry';
import { LEARNING_STRATEGY_TYPE } from './signal-votes';

const FIELDS = Object.keys(LEARNING_DEFAULTS) as (keyof LearningParams)[];

/** The learning params of an instance: each field from params when valid, else its default. */
export function learningParamsOf(params: Readonly<Record<string, unknown>>): LearningParams {
  const shape = learningParamsSchema.shape;
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const r = shape[f].safeParse(params[f]);
    out[f] = r.success ? r.data : LEARNING_DEFAULTS[f];
  }
  return out as LearningParams;
}

function weightsFrom(v: unknown): Record<string, number> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) return undefined;
    out[k] = x;
  }
  return Object.keys(out).length ? out : undefined;
}

/** The instance's signal weights as the strategy runs them (parsed config, defaults included), else raw params. */
export function weightsOf(s: StrategyInstanceConfig): Record<string, number> | undefined {
  try {
    const parsed = parseStrategyConfig(s.type, s.params) as { weights?: unknown };
    const w = weightsFrom(parsed.weights);
    if (w) return w;
  } catch {
    // an invalid params object is the config service's business; fall back to the raw field
  }
  return weightsFrom(s.params.weights);
}

/** The trend-window instances of a config. */
export function learnableInstances(config: Pick<RuntimeConfig, 'strategies'>): StrategyInstanceConfig[] {
  return config.strategies.filter((s) => s.type === LEARNING_STRATEGY_TYPE);
}

export function instanceOf(config: Pick<RuntimeConfig, 'strategies'>, strategyId: string): StrategyInstanceConfig | undefined {
  return config.strategies.find((s) => s.id === strategyId);
}

/**
 * The merge patch that sets (or, with `null`, removes so the strategy's defaults apply) an instance's weights.
 * Undefined when the instance is not in the config.
 */
export function weightsPatch(config: Pick<RuntimeConfig, 'strategies'>, strategyId: string, weights: Record<string, number> | null): { strategies: StrategyInstanceConfig[] } | undefined {
  const list = structuredClone(config.strategies);
  const s = list.find((x) => x.id === strategyId);
  if (!s) return undefined;
  const params: Record<string, unknown> = { ...s.params };
  if (weights === null) delete params.weights;
  else params.weights = { ...weights };
  s.params = params;
  return { strategies: list };
}
