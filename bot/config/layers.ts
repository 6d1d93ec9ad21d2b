/**
 * The configuration layers, lowest first: defaults ← profile ← config file ← environment ← console edits. Each layer
 * above the defaults is a JSON merge patch (RFC 7396) over the ones below; composeLayers() merges them (the schema
 * parses the result) and sourceOf() says which layer a field's value came from.
 *
 * The profile is chosen by CONFIG_PROFILE (env) unless an operator chose one in the console (persisted with the
 * console layer in the config journal). The file and environment layers are read once per process.
 */
import { defaultRuntimeConfig, type ConfigProfileName } from '../../lib/schemas/config';
import type { ConfigLayer } from '../../lib/schemas/config-api';
import { isPlainObject, mergePatch, type JsonObject } from './merge-patch';
import { getProfile } from './profiles';

export interface ProfileChoice {
  name: ConfigProfileName | null;
  /** Who chose it: CONFIG_PROFILE, an operator (console / CLI), or nobody. */
  from: 'env' | 'console' | 'none';
}

export interface ConfigLayers {
  profile: ProfileChoice;
  file: JsonObject;
  env: JsonObject;
  console: JsonObject;
}

/** The profile in force: the operator's choice, else CONFIG_PROFILE, else none. */
export function chooseProfile(consoleChoice: string | null, envProfile: ConfigProfileName | null, isName: (n: string) => n is ConfigProfileName): ProfileChoice {
  if (consoleChoice !== null && isName(consoleChoice)) return { name: consoleChoice, from: 'console' };
  if (envProfile) return { name: envProfile, from: 'env' };
  return { name: null, from: 'none' };
}

/** The patches above the defaults, lowest first. */
export function layerPatches(l: ConfigLayers): [Exclude<ConfigLayer, 'default'>, JsonObject][] {
  return [
    ['profile', l.profile.name ? getProfile(l.profile.name).patch : {}],
    ['file', l.file],
    ['env', l.env],
    ['console', l.console],
  ];
}

/** The merged (not yet validated) config. */
export function composeLayers(l: ConfigLayers): unknown {
  let acc: unknown = defaultRuntimeConfig();
  for (const [, patch] of layerPatches(l)) acc = mergePatch(acc, patch);
  return acc;
}

/** Which layer the value at a document path came from (`default` also for values a layer reset with null). */
export function sourceOf(l: ConfigLayers, path: readonly (string | number)[]): ConfigLayer {
  const patches = layerPatches(l);
  for (let i = patches.length - 1; i >= 0; i--) {
    const [name, patch] = patches[i]!;
    const r = lookup(patch, path);
    if (r === 'set') return name;
    if (r === 'reset') return 'default';
  }
  return 'default';
}

function lookup(patch: unknown, path: readonly (string | number)[]): 'set' | 'absent' | 'reset' {
  let cur: unknown = patch;
  let inArray = false;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      // This layer replaced the whole list: what it does not hold is the schema's (or the strategy's) default.
      inArray = true;
      cur = cur[Number(seg)];
      if (cur === undefined) return 'reset';
      continue;
    }
    if (!isPlainObject(cur)) return 'set';
    if (!Object.hasOwn(cur, String(seg))) return inArray ? 'reset' : 'absent';
    cur = cur[String(seg)];
    if (cur === null) return 'reset';
  }
  return 'set';
}
