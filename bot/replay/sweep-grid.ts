/**
 * Sweep grids: which strategy parameters a sweep varies and over which values, checked whole before any work.
 *
 * A grid is a JSON object `parameter → array of values` (a lone value is a one-value axis), or `--set key=v1,v2,...`
 * flags (`gridFromFlags`; `key=a:b:step` is the inclusive numeric range). A key is a config path of a strategy
 * instance's params, `<instanceId>.<field>` or bare `<field>` (the target instance: `opts.strategy`, default the first
 * hammer instance), or one of seed 001's keys, which name hammer fields (SEED001_HAMMER_KEYS).
 *
 * Invariants: every value is parsed by the instance's own strategy schema (registry `parseStrategyConfig`) and every
 * combination passes the strategy guardrails (bot/config/guardrails.ts), so a bad grid fails here, naming the key and
 * the value; a grid has at most MAX_GRID_POINTS points; expansion is the cartesian product in key order, the first
 * key varying slowest (as itertools.product), so point indices are stable; `applyPoint` returns a new config in which
 * only the params of the instances a point names change.
 */
import { z } from 'zod';
import type { RuntimeConfig, StrategyInstanceConfig } from '../../lib/schemas/config';
import { defaultRuntimeConfig } from '../../lib/schemas/config';
import { checkGuardrails } from '../config/guardrails';
import { getStrategyDefinition } from '../strategies/registry';

export const MAX_GRID_POINTS = 10_000;
export const MAX_AXIS_VALUES = 1_000;

export type GridValue = number | string | boolean;
/** One varied parameter: `path` is `<instanceId>.<field>`, the key a point's params use. */
export interface GridAxis {
  readonly key: string;
  readonly path: string;
  readonly instanceId: string;
  readonly field: string;
  readonly values: readonly GridValue[];
}
export interface Grid {
  /** The instance bare keys named. */
  readonly target: string;
  readonly axes: readonly GridAxis[];
  /** Number of points (product of the axis lengths; 1 for an empty grid: the base config alone). */
  readonly size: number;
}
export interface GridPoint {
  readonly index: number;
  readonly params: Readonly<Record<string, GridValue>>;
}
export interface ParseGridOptions {
  /** Target instance id for bare keys; default the first instance of type hammer. */
  strategy?: string;
  /** Config the keys are resolved and validated against; default the default runtime config. */
  config?: RuntimeConfig;
}

/** Seed 001's sweep keys and the hammer fields they set (fee_bps: the flat extra cost per share, in bps of 1 USD). */
export const SEED001_HAMMER_KEYS: Readonly<Record<string, string>> = {
  watch_return_threshold: 'watchReturnThreshold',
  hammer_secs: 'hammerSecs',
  d_min: 'dMin',
  max_entry_price: 'maxEntryPrice',
  fee_bps: 'extraFeeBps',
};

const gridValueSchema = z.union([z.number(), z.string().max(200), z.boolean()]);
const gridInputSchema = z.record(
  z.string().min(1).max(200),
  z.union([gridValueSchema.transform((v) => [v]), z.array(gridValueSchema).min(1).max(MAX_AXIS_VALUES)]),
);

export function parseGrid(input: string | Record<string, unknown>, opts: ParseGridOptions = {}): Grid {
  const config = opts.config ?? defaultRuntimeConfig();
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new Error(`grid is not valid JSON: ${(e as Error).message}`);
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('grid must be a JSON object of parameter → array of values');
  const parsed = gridInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`grid key '${String(issue.path[0] ?? '')}': ${issue.message} (values must be numbers, strings or booleans, 1..${MAX_AXIS_VALUES} per key)`);
  }
  const target = resolveTarget(config, opts.strategy);
  const axes: GridAxis[] = [];
  const byPath = new Map<string, string>();
  for (const [key, values] of Object.entries(parsed.data)) {
    const inst = resolveKey(config, target, key);
    const path = `${inst.instance.id}.${inst.field}`;
    const clash = byPath.get(path);
    if (clash !== undefined) throw new Error(`grid keys '${clash}' and '${key}' both set ${path}`);
    byPath.set(path, key);
    const seen = new Set<string>();
    for (const v of values) {
      const id = `${typeof v}:${String(v)}`;
      if (seen.has(id)) throw new Error(`grid key '${key}': value ${JSON.stringify(v)} is listed twice`);
      seen.add(id);
      checkValue(inst.instance, inst.field, key, v);
    }
    axes.push({ key, path, instanceId: inst.instance.id, field: inst.field, values });
  }
  const size = axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_GRID_POINTS) {
    throw new Error(`grid has ${size} points (${axes.map((a) => `${a.key}:${a.values.length}`).join(' × ')}); the cap is ${MAX_GRID_POINTS}`);
  }
  const grid: Grid = { target: target.id, axes, size };
  checkCombinations(config, grid);
  return grid;
}

/** Cartesian product in axis order, the first axis varying slowest; index = position in the result. */
export function expandGrid(grid: Grid): GridPoint[] {
  const size = grid.axes.reduce((n, a) => n * a.values.length, 1);
  if (size > MAX_GRID_POINTS) throw new Error(`grid has ${size} points; the cap is ${MAX_GRID_POINTS}`);
  const out: GridPoint[] = [];
  for (let index = 0; index < size; index++) {
    const picks: GridValue[] = [];
    let rest = index;
    for (let a = grid.axes.length - 1; a >= 0; a--) {
      const values = grid.axes[a]!.values;
      picks[a] = values[rest % values.length]!;
      rest = Math.floor(rest / values.length);
    }
    out.push({ index, params: Object.fromEntries(grid.axes.map((axis, a) => [axis.path, picks[a]!])) });
  }
  return out;
}

/** A new config with the point's params set on the instances it names (validated); every other part is a copy. */
export function applyPoint(config: RuntimeConfig, point: GridPoint): RuntimeConfig {
  const next = structuredClone(config);
  const touched = new Set<StrategyInstanceConfig>();
  for (const [path, value] of Object.entries(point.params)) {
    const dot = path.indexOf('.');
    const id = path.slice(0, dot);
    const field = path.slice(dot + 1);
    const inst = next.strategies.find((s) => s.id === id);
    if (dot <= 0 || !inst) throw new Error(`point ${point.index}: no strategy instance for '${path}' (instances: ${ids(next)})`);
    inst.params = { ...inst.params, [field]: value };
    touched.add(inst);
  }
  for (const inst of touched) {
    const r = getStrategyDefinition(inst.type).configSchema.safeParse(inst.params);
    if (!r.success) throw new Error(`point ${point.index}: ${inst.id}.${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  }
  return next;
}

/**
 * `--set` flags → the object `parseGrid` takes. Each flag is `key=v1,v2,...` (a leading `--set ` or `--set=` is
 * dropped); `key=a:b:step` is a, a+step, ... up to b inclusive. Numbers, `true`/`false` and strings are told apart.
 */
export function gridFromFlags(flags: readonly string[]): Record<string, GridValue[]> {
  const out: Record<string, GridValue[]> = {};
  for (const flag of flags) {
    const body = flag.replace(/^--set(=|\s+)/, '').trim();
    const eq = body.indexOf('=');
    const key = body.slice(0, eq).trim();
    const list = body.slice(eq + 1).trim();
    if (eq <= 0 || key === '' || list === '') throw new Error(`bad --set '${flag}': expected key=v1,v2,... or key=from:to:step`);
    if (Object.hasOwn(out, key)) throw new Error(`--set ${key} is given twice`);
    out[key] = /^[^,]*:[^,]*:[^,]*$/.test(list) ? numericRange(flag, list) : list.split(',').map((s) => scalar(s.trim()));
  }
  return out;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function scalar(s: string): GridValue {
  if (NUMBER.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  return s;
}

function numericRange(flag: string, list: string): number[] {
  const parts = list.split(':').map((s) => s.trim());
  if (!parts.every((p) => NUMBER.test(p))) throw new Error(`bad --set '${flag}': a range is from:to:step, all numbers`);
  const [from, to, step] = parts.map(Number) as [number, number, number];
  if (!(step > 0) || to < from) throw new Error(`bad --set '${flag}': a range needs from ≤ to and step > 0`);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_AXIS_VALUES) throw new Error(`bad --set '${flag}': ${count} values, the cap is ${MAX_AXIS_VALUES}`);
  const decimals = Math.max(...parts.map((p) => decimalsOf(p)));
  return Array.from({ length: count }, (_, i) => Number((from + i * step).toFixed(Math.min(decimals, 15))));
}

function decimalsOf(s: string): number {
  const m = /^[+-]?\d*(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  return Math.max(0, (m?.[1]?.length ?? 0) - Number(m?.[2] ?? 0));
}

function ids(config: RuntimeConfig): string {
  return config.strategies.map((s) => `${s.id} (${s.type})`).join(', ') || 'none';
}

function resolveTarget(config: RuntimeConfig, strategy: string | undefined): StrategyInstanceConfig {
  const inst = strategy === undefined ? config.strategies.find((s) => s.type === 'hammer') : config.strategies.find((s) => s.id === strategy);
  if (!inst) throw new Error(strategy === undefined ? `no hammer instance in the config to sweep (instances: ${ids(config)})` : `no strategy instance '${strategy}' in the config (instances: ${ids(config)})`);
  return inst;
}

function resolveKey(config: RuntimeConfig, target: StrategyInstanceConfig, key: string): { instance: StrategyInstanceConfig; field: string } {
  const dot = key.indexOf('.');
  let instance = target;
  let name = key;
  if (dot >= 0) {
    const id = key.slice(0, dot);
    const found = config.strategies.find((s) => s.id === id);
    if (!found) throw new Error(`grid key '${key}': no strategy instance '${id}' in the config (instances: ${ids(config)})`);
    instance = found;
    name = key.slice(dot + 1);
  }
  let field = name;
  if (Object.hasOwn(SEED001_HAMMER_KEYS, name)) {
    if (instance.type !== 'hammer') throw new Error(`grid key '${key}': seed 001's '${name}' is a hammer parameter, but instance '${instance.id}' is a ${instance.type}`);
    field = SEED001_HAMMER_KEYS[name]!;
  }
  const shape = (getStrategyDefinition(instance.type).configSchema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  if (!Object.hasOwn(shape, field)) {
    throw new Error(`grid key '${key}': '${field}' is not a parameter of ${instance.type} (instance '${instance.id}'; known: ${Object.keys(shape).join(', ')})`);
  }
  return { instance, field };
}

function checkValue(instance: StrategyInstanceConfig, field: string, key: string, value: GridValue): void {
  const r = getStrategyDefinition(instance.type).configSchema.safeParse({ ...instance.params, [field]: value });
  if (r.success) return;
  const own = r.error.issues.find((i) => i.path[0] === field);
  const issue = own ?? r.error.issues[0]!;
  const where = own ? '' : ` (the instance's other params are invalid: ${issue.path.join('.')})`;
  throw new Error(`grid key '${key}' (${instance.id}.${field}): value ${JSON.stringify(value)} rejected: ${issue.message}${where}`);
}

/** Guardrails over every combination (cross-field rules such as a stop below the entry). */
function checkCombinations(config: RuntimeConfig, grid: Grid): void {
  const byInstance = new Set(grid.axes.map((a) => a.instanceId));
  const noCtx = { hasLiveCredentials: () => false, host: '127.0.0.1', consoleTokenSet: false };
  for (const point of expandGrid(grid)) {
    const next = applyPoint(config, point).strategies.filter((s) => byInstance.has(s.id));
    const issue = checkGuardrails({ strategies: next }, noCtx)[0];
    if (issue) {
      const at = /^strategies\.(\d+)\.params\.(.+)$/.exec(issue.path);
      const field = at ? `${next[Number(at[1])]?.id}.${at[2]}` : issue.path;
      const values = grid.axes.map((a) => `${a.key}=${JSON.stringify(point.params[a.path])}`).join(', ');
      throw new Error(`grid point ${point.index} (${values}) breaks guardrail ${issue.rule} on ${field}: ${issue.message}`);
    }
  }
}
