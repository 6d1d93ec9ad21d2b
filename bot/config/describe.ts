/**
 * Field descriptions for the console: one entry per leaf of the current config (strategy params expanded through
 * each strategy's own schema), saying hot or restart, the description, type, range or enum and default (read from
 * the zod schema's JSON Schema), the current value and the layer it came from. Also the JSON Schemas of the config
 * and of every strategy's params, generated with zod 4's z.toJSONSchema (input side: fields with defaults are
 * optional), for the generated form.
 */
import { z } from 'zod';
import { defaultRuntimeConfig, isUpdatable, needsProcessRestart, runtimeConfigSchema, type RuntimeConfig } from '../../lib/schemas/config';
import type { ConfigField } from '../../lib/schemas/config-api';
import { getStrategyDefinition, isStrategyId, strategyIds } from '../strategies/registry';
import { effectiveParams } from './diff';
import { sourceOf, type ConfigLayers } from './layers';
import { isPlainObject } from './merge-patch';

type JsonSchema = Record<string, unknown>;
type Path = (string | number)[];

const cache = new WeakMap<z.ZodType, JsonSchema>();

function jsonSchemaOf(s: z.ZodType): JsonSchema {
  let js = cache.get(s);
  if (!js) {
    try {
      js = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    } catch {
      js = {};
    }
    cache.set(s, js);
  }
  return js;
}

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  while (cur instanceof z.ZodDefault || cur instanceof z.ZodOptional) cur = cur.unwrap() as z.ZodType;
  return cur;
}

export function describeFields(config: RuntimeConfig, layers: ConfigLayers): ConfigField[] {
  const out: ConfigField[] = [];
  const defaults = defaultRuntimeConfig() as unknown;
  const leaf = (schema: z.ZodType, path: Path, value: unknown, hot: boolean) => {
    const js = jsonSchemaOf(schema);
    const meta = (schema.meta() ?? {}) as { description?: string };
    const field: ConfigField = {
      path: path.join('.'),
      hot,
      ...(needsProcessRestart(path.join('.')) ? { process: true } : {}),
      description: meta.description ?? (typeof js.description === 'string' ? js.description : ''),
      type: typeOf(js, value),
      value,
      source: sourceOf(layers, path),
    };
    for (const k of ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum'] as const) if (typeof js[k] === 'number') field[k] = js[k] as number;
    if (Array.isArray(js.enum)) field.enum = js.enum as unknown[];
    const def = 'default' in js ? js.default : getAt(defaults, path);
    if (def !== undefined) field.default = def;
    out.push(field);
  };
  const walk = (schema: z.ZodType, path: Path, value: unknown) => {
    const s = unwrap(schema);
    if (s instanceof z.ZodObject) {
      for (const [k, child] of Object.entries(s.shape as Record<string, z.ZodType>)) {
        const v = isPlainObject(value) ? value[k] : undefined;
        if (k === 'params' && path[0] === 'strategies') walkParams([...path, k], value, v);
        else walk(child, [...path, k], v);
      }
      return;
    }
    if (s instanceof z.ZodArray && unwrap(s.element as z.ZodType) instanceof z.ZodObject && Array.isArray(value)) {
      value.forEach((item, i) => walk(s.element as z.ZodType, [...path, i], item));
      return;
    }
    leaf(schema, path, value, isUpdatable(path));
  };
  const walkParams = (path: Path, instance: unknown, params: unknown) => {
    const type = isPlainObject(instance) && typeof instance.type === 'string' ? instance.type : '';
    const raw = isPlainObject(params) ? params : {};
    if (!isStrategyId(type)) return;
    const schema = unwrap(getStrategyDefinition(type).configSchema as z.ZodType);
    if (!(schema instanceof z.ZodObject)) return;
    const eff = effectiveParams(type, raw);
    for (const [k, child] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const hot = (child.meta() as { updatable?: boolean } | undefined)?.updatable === true;
      leaf(child, [...path, k], eff[k], hot);
    }
  };
  walk(runtimeConfigSchema, [], config);
  return out;
}

/** JSON Schemas for the form: the config, and each strategy type's params. */
export function configJsonSchemas(): { config: JsonSchema; strategyParams: Record<string, JsonSchema> } {
  return {
    config: jsonSchemaOf(runtimeConfigSchema),
    strategyParams: Object.fromEntries(strategyIds.map((id) => [id, jsonSchemaOf(getStrategyDefinition(id).configSchema as z.ZodType)])),
  };
}

function typeOf(js: JsonSchema, value: unknown): string {
  if (typeof js.type === 'string') return js.type;
  if (Array.isArray(js.enum)) return 'enum';
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

export function getAt(root: unknown, path: readonly (string | number)[]): unknown {
  let cur = root;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isPlainObject(cur) && Object.hasOwn(cur, String(seg))) cur = cur[String(seg)];
    else return undefined;
  }
  return cur;
}
