/**
 * The config page's data and form model (pure, browser-safe): the responses of GET /api/config, /history and
 * /profiles parsed with zod at the edge; fields grouped into sections; the operator's raw input turned into the
 * edited config, the merge patch PATCH /api/config takes, and inline errors from the SAME zod schema the server
 * validates with (lib/schemas/config.ts) plus the field metadata's ranges for strategy params (the runtime schema
 * holds params as a record: their own schemas live server-side, whose refusals come back with the same paths).
 *
 * Invariants: an edit equal to the current value is no edit; list items (series, strategies) are patched as whole
 * lists (RFC 7396 replaces arrays), everything else as a nested object of only the edited leaves; a raw value that
 * does not parse is kept as text so that the schema names the problem at its field.
 */
import { z } from 'zod';
import { configChangeSchema, configFieldSchema, configLayerSchema, configVersionSummarySchema, type ConfigField } from '../../lib/schemas/config-api';
import { runtimeConfigSchema } from '../../lib/schemas/config';

export const configResponseSchema = z.object({
  version: z.number().int(),
  hash: z.string(),
  config: z.record(z.string(), z.unknown()),
  running: z.record(z.string(), z.unknown()),
  pending: z.array(configChangeSchema),
  profile: z.object({ name: z.string().nullable(), from: z.string() }),
  file: z.object({ path: z.string(), exists: z.boolean() }),
  envVars: z.array(z.string()),
  fields: z.array(configFieldSchema),
});
export type ConfigResponse = z.infer<typeof configResponseSchema>;

export const historyResponseSchema = z.object({ version: z.number().int(), versions: z.array(configVersionSummarySchema) });
export const profilesResponseSchema = z.object({
  active: z.object({ name: z.string().nullable(), from: z.string() }),
  profiles: z.array(z.object({ name: z.string(), description: z.string(), patch: z.record(z.string(), z.unknown()) })),
});
export type ProfilesResponse = z.infer<typeof profilesResponseSchema>;
export { configLayerSchema };

/** Raw input per field path: text for numbers, strings and JSON; booleans as they are. */
export type Edits = Record<string, string | boolean>;

export interface Section {
  key: string;
  title: string;
  fields: ConfigField[];
}

const TITLES: Record<string, string> = { general: 'General', series: 'Series', risk: 'Risk limits', sim: 'Simulator', recording: 'Recording' };

/** Sections in schema order: general (top-level leaves), series, risk, sim, one per strategy instance, recording. */
export function groupFields(fields: readonly ConfigField[], config: Record<string, unknown>): Section[] {
  const out = new Map<string, Section>();
  const strategies = Array.isArray(config.strategies) ? (config.strategies as { id?: unknown; type?: unknown }[]) : [];
  for (const f of fields) {
    const parts = f.path.split('.');
    let key = parts.length === 1 ? 'general' : parts[0]!;
    let title = TITLES[key] ?? key;
    if (key === 'strategies') {
      key = `strategies.${parts[1]}`;
      const s = strategies[Number(parts[1])];
      title = `Strategy ${String(s?.id ?? parts[1])}${s && s.type !== s.id ? ` (${String(s.type)})` : ''}`;
    }
    let sec = out.get(key);
    if (!sec) out.set(key, (sec = { key, title, fields: [] }));
    sec.fields.push(f);
  }
  const order = (k: string) => (k === 'general' ? 0 : k === 'recording' ? 9 : k.startsWith('strategies.') ? 5 : { series: 1, risk: 2, sim: 3 }[k] ?? 8);
  return [...out.values()].sort((a, b) => order(a.key) - order(b.key));
}

/** The field's name within its section (`params.dMin`, `1.enabled` for a series item). */
export function fieldLabel(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'strategies') return parts.slice(2).join('.');
  if (parts[0] === 'series') return `#${parts[1]} ${parts.slice(2).join('.')}`;
  return parts.length === 1 ? parts[0]! : parts.slice(1).join('.');
}

/** The input's text for a value. */
export function rawOf(value: unknown): string | boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return value === undefined ? '' : JSON.stringify(value);
}

/** A short display of a value (diffs, defaults). */
export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  const s = typeof value === 'string' ? value : JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/** The typed value of a raw input for a field (text that does not parse stays text: the schema names it). */
export function parseRaw(f: ConfigField, raw: string | boolean): unknown {
  if (typeof raw === 'boolean') return raw;
  const t = raw.trim();
  if (f.type === 'number' || f.type === 'integer') return t !== '' && Number.isFinite(Number(t)) ? Number(t) : raw;
  if (f.type === 'array' || f.type === 'object') {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only the edits that change a value. */
export function effectiveEdits(fields: readonly ConfigField[], edits: Edits): Map<string, { field: ConfigField; value: unknown }> {
  const out = new Map<string, { field: ConfigField; value: unknown }>();
  for (const f of fields) {
    if (!(f.path in edits)) continue;
    const value = parseRaw(f, edits[f.path]!);
    if (!same(value, f.value)) out.set(f.path, { field: f, value });
  }
  return out;
}

function setAt(root: Record<string, unknown>, parts: readonly string[], value: unknown): void {
  let cur: Record<string, unknown> | unknown[] = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const k = parts[i]!;
    const next: unknown = Array.isArray(cur) ? cur[Number(k)] : cur[k];
    const made: Record<string, unknown> | unknown[] = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : {};
    if (Array.isArray(cur)) cur[Number(k)] = made;
    else cur[k] = made;
    cur = made;
  }
  const last = parts[parts.length - 1]!;
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else cur[last] = value;
}

/** The edited config (a copy of `config` with the edits) and the merge patch that makes it. */
export function buildEdit(config: Record<string, unknown>, changed: ReturnType<typeof effectiveEdits>): { edited: Record<string, unknown>; patch: Record<string, unknown> } {
  const edited = structuredClone(config);
  const patch: Record<string, unknown> = {};
  const lists = new Set<string>();
  for (const [path, { value }] of changed) {
    const parts = path.split('.');
    setAt(edited, parts, value);
    if (Array.isArray(config[parts[0]!])) lists.add(parts[0]!);
    else setAt(patch, parts, value);
  }
  for (const l of lists) patch[l] = edited[l];
  return { edited, patch };
}

function rangeProblem(f: ConfigField, v: unknown): string | undefined {
  if (f.enum && !f.enum.some((e) => same(e, v))) return `one of ${f.enum.map((e) => JSON.stringify(e)).join(', ')}`;
  if (f.type === 'boolean' && typeof v !== 'boolean') return 'expected true or false';
  if (f.type !== 'number' && f.type !== 'integer') return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'expected a number';
  if (f.type === 'integer' && !Number.isInteger(v)) return 'expected a whole number';
  if (f.minimum !== undefined && v < f.minimum) return `must be ≥ ${f.minimum}`;
  if (f.exclusiveMinimum !== undefined && v <= f.exclusiveMinimum) return `must be > ${f.exclusiveMinimum}`;
  if (f.maximum !== undefined && v > f.maximum) return `must be ≤ ${f.maximum}`;
  if (f.exclusiveMaximum !== undefined && v >= f.exclusiveMaximum) return `must be < ${f.exclusiveMaximum}`;
  return undefined;
}

/** Inline errors by field path: the runtime config schema over the whole edited config, then params ranges. */
export function clientIssues(edited: Record<string, unknown>, changed: ReturnType<typeof effectiveEdits>): Record<string, string> {
  const out: Record<string, string> = {};
  const r = runtimeConfigSchema.safeParse(edited);
  if (!r.success) for (const i of r.error.issues) out[i.path.map(String).join('.') || '(root)'] ??= i.message;
  for (const [path, { field, value }] of changed) {
    if (out[path]) continue;
    const p = rangeProblem(field, value);
    if (p) out[path] = p;
  }
  return out;
}

/** "[0, 100]", "(0, 1]", "≥ 5", "" from the field's bounds. */
export function rangeText(f: ConfigField): string {
  const lo = f.minimum ?? f.exclusiveMinimum;
  const hi = f.maximum ?? f.exclusiveMaximum;
  if (lo === undefined && hi === undefined) return '';
  if (hi === undefined) return `${f.exclusiveMinimum !== undefined ? '>' : '≥'} ${lo}`;
  if (lo === undefined) return `${f.exclusiveMaximum !== undefined ? '<' : '≤'} ${hi}`;
  return `${f.exclusiveMinimum !== undefined ? '(' : '['}${lo}, ${hi}${f.exclusiveMaximum !== undefined ? ')' : ']'}`;
}
