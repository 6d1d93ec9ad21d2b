/**
 * Splits a change into what runs now and what waits for a restart: projectHot(running, desired) is the config the
 * running parts move to — desired's value wherever the change is hot, running's value wherever it needs a restart —
 * with exactly the classification of diff.ts, so that
 *   diffConfigs(running, projected) holds only hot entries and diffConfigs(projected, desired) only restart ones.
 * Pure.
 */
import { isUpdatable, runtimeConfigSchema, type RuntimeConfig, type SeriesConfig, type StrategyInstanceConfig } from '../../lib/schemas/config';
import { byKey, effectiveParams, paramIsHot, seriesKey } from './diff';
import { cloneJson, isPlainObject, jsonEqual } from './merge-patch';

const TOP_KEYS = Object.keys(runtimeConfigSchema.shape);

export function projectHot(running: RuntimeConfig, desired: RuntimeConfig): RuntimeConfig {
  const r = running as unknown as Record<string, unknown>;
  const d = desired as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of TOP_KEYS) {
    if (key === 'series') out.series = projectSeries(running.series, desired.series);
    else if (key === 'strategies') out.strategies = projectStrategies(running.strategies, desired.strategies);
    else out[key] = projectValue([key], r[key], d[key]);
  }
  return cloneJson(out) as unknown as RuntimeConfig;
}

function projectValue(path: (string | number)[], r: unknown, d: unknown): unknown {
  if (isPlainObject(r) && isPlainObject(d)) {
    const o: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(r), ...Object.keys(d)])) {
      const v = projectValue([...path, k], r[k], d[k]);
      if (v !== undefined) o[k] = v;
    }
    return o;
  }
  if (jsonEqual(r, d)) return d;
  return isUpdatable(path) ? d : r;
}

function projectSeries(r: SeriesConfig[], d: SeriesConfig[]): SeriesConfig[] {
  const mr = byKey(r, seriesKey);
  const md = byKey(d, seriesKey);
  if (!mr || !md) return jsonEqual(r, d) ? d : r;
  // Adding, removing and reordering series is hot: follow desired's list; a kept series takes its hot fields.
  return d.map((item) => {
    const prev = mr.get(seriesKey(item));
    return prev ? (projectValue(['series', 0], prev, item) as SeriesConfig) : item;
  });
}

function projectStrategies(r: StrategyInstanceConfig[], d: StrategyInstanceConfig[]): StrategyInstanceConfig[] {
  const mr = byKey(r, (s) => s.id);
  const md = byKey(d, (s) => s.id);
  if (!mr || !md) return d;
  // Adding, removing and reordering instances is hot: follow desired's list.
  return d.map((inst) => {
    const prev = mr.get(inst.id);
    if (!prev) return inst;
    if (prev.type !== inst.type) return prev;
    const out: Record<string, unknown> = {};
    for (const f of new Set([...Object.keys(prev), ...Object.keys(inst)])) {
      if (f === 'params') continue;
      const v = projectValue(['strategies', 0, f], (prev as Record<string, unknown>)[f], (inst as Record<string, unknown>)[f]);
      if (v !== undefined) out[f] = v;
    }
    out.params = projectParams(inst.type, prev.params, inst.params);
    return out as StrategyInstanceConfig;
  });
}

function projectParams(type: string, rp: Record<string, unknown>, dp: Record<string, unknown>): Record<string, unknown> {
  const er = effectiveParams(type, rp);
  const ed = effectiveParams(type, dp);
  const out: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(rp), ...Object.keys(dp)])) {
    const takeDesired = jsonEqual(rp[k], dp[k]) || jsonEqual(er[k], ed[k]) || paramIsHot(type, k);
    const v = takeDesired ? dp[k] : rp[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
