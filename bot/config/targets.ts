/**
 * Config targets: the runtime parts that read hot fields register here and are handed each hot change.
 *
 * Contract: `applies(paths)` says whether any changed hot path (ConfigChange paths, e.g. `risk.maxUsdPerTrade`,
 * `strategies.hammer.params.dMin`) concerns the part; `apply(next, prev)` makes `next` live or throws to refuse.
 * applyToTargets() calls the concerned targets in registration order; when one throws it calls apply(prev, next) on
 * the ones already applied, in reverse, and refuses the change — nothing is ever half-applied.
 *
 * Registering a part is one line:
 *   service.register(configTarget('risk', configFieldGroups.risk, (next) => riskEngine.updateConfig(next.risk)));
 */
import type { RuntimeConfig } from '../../lib/schemas/config';
import type { ConfigIssue } from '../../lib/schemas/config-api';
import { pathUnder } from './diff';
import { ConfigError } from './errors';

export interface ConfigTarget {
  readonly name: string;
  applies(paths: readonly string[]): boolean;
  apply(next: RuntimeConfig, prev: RuntimeConfig): void;
}

export type PathMatcher = (path: string) => boolean;

const BUDGET = /^strategies\.[^.]+\.budgetUsd$/;
const INSTANCE = /^strategies\.[^.]+$/;

/** The hot field groups and the parts that read them (see the README's Configuration section). */
export const configFieldGroups = {
  /** Risk limits: every `risk.*` field. */
  risk: (p: string) => pathUnder(p, 'risk'),
  /** The feed gate: spot-only trading and the stale bound. */
  feedGate: (p: string) => p === 'risk.allowSpotOnlyTrading' || p === 'risk.staleFeedSec',
  /** Strategy instances: added / removed / reordered instances and params (enabled included); not budgets. */
  strategies: (p: string) => pathUnder(p, 'strategies') && !BUDGET.test(p),
  /** Strategy budgets: `strategies.<id>.budgetUsd`, and instances added or removed (they bring or take a budget). */
  budgets: (p: string) => BUDGET.test(p) || INSTANCE.test(p),
  /** The runtime heartbeat period. */
  heartbeat: (p: string) => p === 'heartbeatMs',
  /** Series added, removed, reordered, switched on or off, or their limits: every `series.*` path. */
  series: (p: string) => pathUnder(p, 'series'),
} satisfies Record<string, PathMatcher>;

/** A target from a path matcher (a group above, or any predicate) and an apply function. */
export function configTarget(name: string, matches: PathMatcher, apply: (next: RuntimeConfig, prev: RuntimeConfig) => void): ConfigTarget {
  return { name, applies: (paths) => paths.some(matches), apply };
}

/** Apply to every concerned target or to none (throws ConfigError 'refused' naming the target's fields). */
export function applyToTargets(targets: readonly ConfigTarget[], next: RuntimeConfig, prev: RuntimeConfig, hotPaths: readonly string[]): string[] {
  if (hotPaths.length === 0) return [];
  const done: ConfigTarget[] = [];
  for (const t of targets) {
    try {
      if (!t.applies(hotPaths)) continue;
      t.apply(next, prev);
      done.push(t);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const rollbackErrors: string[] = [];
      for (const d of [...done].reverse()) {
        try {
          d.apply(prev, next);
        } catch (e) {
          rollbackErrors.push(`${d.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const own = safeOwnPaths(t, hotPaths);
      const tail = rollbackErrors.length ? `; rolling back also failed (${rollbackErrors.join('; ')})` : '; nothing was applied';
      const issues: ConfigIssue[] = (own.length ? own : [...hotPaths]).slice(0, 20).map((path) => ({ path, rule: 'target', message: `${t.name} refused the change: ${why.slice(0, 300)}${tail}` }));
      throw new ConfigError('refused', `${t.name} refused the change: ${why.slice(0, 300)}${tail}`, issues);
    }
  }
  return done.map((t) => t.name);
}

function safeOwnPaths(t: ConfigTarget, paths: readonly string[]): string[] {
  try {
    return paths.filter((p) => t.applies([p]));
  } catch {
    return [];
  }
}
