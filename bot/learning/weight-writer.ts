/**
 * Where learned weights go. With the config service (the server): a config change with actor "learning", so every
 * step is a journaled config version with its diff and an audit row, and the strategies take it as a hot change.
 * Without one (a replay or backtest run builds a runtime with no config service): the runtime's own config and the
 * strategy host are updated in-process (no journal: the run's store is thrown away anyway).
 *
 * Invariants: a refused change throws (the caller reports it, never crashes); nothing is half-applied.
 */
import type { RuntimeConfig } from '../../lib/schemas/config';
import { mergePatch } from '../config/merge-patch';
import { parseStrategyConfig } from '../strategies/registry';

export interface WeightWriteResult {
  changed: boolean;
  /** The journaled config version (journaled writers only). */
  version?: number;
}

export interface WeightWriter {
  /** True when changes are journaled config versions (with audit rows). */
  readonly journaled: boolean;
  /** The configuration a patch applies to. */
  current(): RuntimeConfig;
  apply(patch: Record<string, unknown>, actor: string, reason: string): WeightWriteResult;
}

/** The config service's side (bot/config ConfigService fits). */
export interface ConfigApplier {
  desired(): RuntimeConfig;
  apply(patch: unknown, actor: string, reason: string, source: string): { changed: boolean; applied: boolean; version: number };
}

/** `source` is the journal's source column: 'learning' for steps, the request's address for an operator's reset. */
export function configServiceWriter(svc: ConfigApplier, source = 'learning'): WeightWriter {
  return {
    journaled: true,
    current: () => svc.desired(),
    apply: (patch, actor, reason) => {
      const r = svc.apply(patch, actor, reason, source);
      return r.changed && r.applied ? { changed: true, version: r.version } : { changed: false };
    },
  };
}

/**
 * In-process writer: `get` / `set` are the runtime's config, `applyStrategies` the strategy host's hot update. The
 * strategies of the patched config are parsed with their own schemas first (a refusal changes nothing).
 */
export function inProcessWriter(get: () => RuntimeConfig, set: (next: RuntimeConfig) => void, applyStrategies: (list: RuntimeConfig['strategies']) => void): WeightWriter {
  return {
    journaled: false,
    current: () => get(),
    apply: (patch) => {
      const next = mergePatch(get(), patch) as RuntimeConfig;
      for (const s of next.strategies) parseStrategyConfig(s.type, s.params);
      applyStrategies(next.strategies);
      set(next);
      return { changed: true };
    },
  };
}
