/**
 * The change list between two configs, each entry classified hot (applied while running) or restart-required.
 *
 * Paths key list items by identity (see lib/schemas/config-api.ts): `series.<asset>-<windowSec>.<field>`,
 * `strategies.<id>[.budgetUsd | .params.<key>]`. Classification:
 * - plain fields: the schema's `updatable` flag (`isUpdatable`);
 * - series: adding or removing one is hot (the running session starts or stops its feeds and windows), each field
 *   per the schema flag (`enabled` and the limits hot; discovery and symbols need a restart);
 * - strategies: adding or removing an instance is hot, changing the type behind an id needs a restart (one entry
 *   `strategies.<id>`), `budgetUsd` per the schema flag, each params key per the strategy's own schema
 *   (`checkConfigUpdate`); a params key whose effective value (over the strategy's defaults) is unchanged is no change;
 * - a reordering of the same items is one entry at the list's path (hot for both).
 * Pure; entries come in schema order.
 */
import type { ConfigChange } from '../../lib/schemas/config-api';
import { isUpdatable, needsProcessRestart, runtimeConfigSchema, type RuntimeConfig, type SeriesConfig, type StrategyInstanceConfig } from '../../lib/schemas/config';
import { checkConfigUpdate, isStrategyId, parseStrategyConfig } from '../strategies/registry';
import { isPlainObject, jsonEqual } from './merge-patch';

export const seriesKey = (s: Pick<SeriesConfig, 'asset' | 'windowSec'>): string => `${s.asset}-${s.windowSec}`;

const TOP_KEYS = Object.keys(runtimeConfigSchema.shape);

export function diffConfigs(a: RuntimeConfig, b: RuntimeConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  const ra = a as unknown as Record<string, unknown>;
  const rb = b as unknown as Record<string, unknown>;
  for (const key of TOP_KEYS) {
    if (key === 'series') diffSeries(a.series, b.series, out);
    else if (key === 'strategies') diffStrategies(a.strategies, b.strategies, out);
    else diffValue([key], ra[key], rb[key], out);
  }
  return out;
}

function diffValue(path: string[], x: unknown, y: unknown, out: ConfigChange[]): void {
  if (isPlainObject(x) && isPlainObject(y)) {
    for (const k of union(Object.keys(x), Object.keys(y))) diffValue([...path, k], x[k], y[k], out);
    return;
  }
  if (!jsonEqual(x, y)) out.push(change(path.join('.'), x, y, isUpdatable(path)));
}

function diffSeries(a: readonly SeriesConfig[], b: readonly SeriesConfig[], out: ConfigChange[]): void {
  const ma = byKey(a, seriesKey);
  const mb = byKey(b, seriesKey);
  if (!ma || !mb) {
    if (!jsonEqual(a, b)) out.push(change('series', a, b, false));
    return;
  }
  for (const [k, item] of ma) if (!mb.has(k)) out.push(change(`series.${k}`, item, undefined, true));
  for (const [k, item] of mb) {
    const prev = ma.get(k);
    if (!prev) out.push(change(`series.${k}`, undefined, item, true));
    else for (const f of union(Object.keys(prev), Object.keys(item))) {
      const x = (prev as Record<string, unknown>)[f];
      const y = (item as Record<string, unknown>)[f];
      if (!jsonEqual(x, y)) out.push(change(`series.${k}.${f}`, x, y, isUpdatable(['series', 0, f])));
    }
  }
  if (!sameOrder([...ma.keys()], [...mb.keys()])) out.push(change('series', [...ma.keys()], [...mb.keys()], true));
}

function diffStrategies(a: readonly StrategyInstanceConfig[], b: readonly StrategyInstanceConfig[], out: ConfigChange[]): void {
  const ma = byKey(a, (s) => s.id);
  const mb = byKey(b, (s) => s.id);
  if (!ma || !mb) {
    if (!jsonEqual(a, b)) out.push(change('strategies', a, b, true));
    return;
  }
  for (const [id, inst] of ma) if (!mb.has(id)) out.push(change(`strategies.${id}`, inst, undefined, true));
  for (const [id, inst] of mb) {
    const prev = ma.get(id);
    if (!prev) {
      out.push(change(`strategies.${id}`, undefined, inst, true));
      continue;
    }
    if (prev.type !== inst.type) {
      out.push(change(`strategies.${id}`, prev, inst, false));
      continue;
    }
    if (!jsonEqual(prev.budgetUsd, inst.budgetUsd)) out.push(change(`strategies.${id}.budgetUsd`, prev.budgetUsd, inst.budgetUsd, isUpdatable(['strategies', 0, 'budgetUsd'])));
    const ea = effectiveParams(prev.type, prev.params);
    const eb = effectiveParams(inst.type, inst.params);
    for (const k of union(Object.keys(prev.params), Object.keys(inst.params))) {
      if (jsonEqual(prev.params[k], inst.params[k]) || jsonEqual(ea[k], eb[k])) continue;
      out.push(change(`strategies.${id}.params.${k}`, ea[k], eb[k], paramIsHot(inst.type, k)));
    }
  }
  if (!sameOrder([...ma.keys()], [...mb.keys()])) out.push(change('strategies', [...ma.keys()], [...mb.keys()], true));
}

/** Whether params key `k` of strategy `type` is hot-updatable (the strategy's own schema says so). */
export function paramIsHot(type: string, k: string): boolean {
  return isStrategyId(type) && checkConfigUpdate(type, { [k]: 0 }, { [k]: 1 }).length === 0;
}

/** Params over the strategy's defaults (raw params when they do not parse). */
export function effectiveParams(type: string, params: Record<string, unknown>): Record<string, unknown> {
  if (!isStrategyId(type)) return params;
  try {
    return parseStrategyConfig(type, params) as Record<string, unknown>;
  } catch {
    return { ...(parseStrategyConfig(type, {}) as Record<string, unknown>), ...params };
  }
}

/** Items by key, or undefined when two items share a key. */
export function byKey<T>(items: readonly T[], key: (t: T) => string): Map<string, T> | undefined {
  const m = new Map<string, T>();
  for (const it of items) {
    const k = key(it);
    if (m.has(k)) return undefined;
    m.set(k, it);
  }
  return m;
}

function sameOrder(a: string[], b: string[]): boolean {
  const common = new Set(a.filter((k) => b.includes(k)));
  const fa = a.filter((k) => common.has(k));
  const fb = b.filter((k) => common.has(k));
  return fa.every((k, i) => k === fb[i]);
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])];
}

function change(path: string, from: unknown, to: unknown, hot: boolean): ConfigChange {
  return { path, ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}), hot, ...(needsProcessRestart(path) ? { process: true } : {}) };
}

/** Whether `path` equals `prefix` or lies under it (`risk` covers `risk.maxUsdPerTrade`). */
export function pathUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}
