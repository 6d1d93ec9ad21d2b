/**
 * The environment layer: TRADING_MODE, VENUE, AUTO_START, SIM_SEED, SIM_SPEED as a merge patch (only variables
 * that are set), and CONFIG_PROFILE (the profile layer's default choice). Values are checked with the same rules
 * as lib/server/env.ts; a bad one is an issue naming the variable (`env.TRADING_MODE`).
 * Takes the environment as an argument (bot/ never reads process.env).
 */
import { z } from 'zod';
import { configProfileNames, type ConfigProfileName } from '../../lib/schemas/config';
import type { ConfigIssue } from '../../lib/schemas/config-api';
import type { JsonObject } from './merge-patch';

const bool = z.enum(['0', '1', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const VARS = {
  TRADING_MODE: { schema: z.enum(['paper', 'live']), path: ['mode'] },
  VENUE: { schema: z.enum(['sim', 'polymarket']), path: ['venue'] },
  AUTO_START: { schema: bool, path: ['autoStart'] },
  SIM_SEED: { schema: z.coerce.number().int().nonnegative().max(2 ** 32 - 1), path: ['sim', 'seed'] },
  SIM_SPEED: { schema: z.coerce.number().positive().max(1000), path: ['sim', 'speed'] },
} as const;

export const CONFIG_ENV_VARS = [...Object.keys(VARS), 'CONFIG_PROFILE'] as const;

export interface EnvLayer {
  patch: JsonObject;
  profile: ConfigProfileName | null;
  /** The variables that are set (for the console: "from the environment"). */
  vars: string[];
  issues: ConfigIssue[];
}

export function envLayer(source: Readonly<Record<string, string | undefined>>): EnvLayer {
  const patch: JsonObject = {};
  const vars: string[] = [];
  const issues: ConfigIssue[] = [];
  for (const [name, { schema, path }] of Object.entries(VARS)) {
    const raw = source[name];
    if (raw === undefined || raw === '') continue;
    const r = schema.safeParse(raw.trim());
    if (!r.success) {
      issues.push({ path: `env.${name}`, rule: 'env', message: `${name}: ${r.error.issues[0]?.message ?? 'invalid'}` });
      continue;
    }
    vars.push(name);
    let cur = patch;
    path.slice(0, -1).forEach((k) => {
      cur[k] ??= {};
      cur = cur[k] as JsonObject;
    });
    cur[path[path.length - 1]!] = r.data;
  }
  let profile: ConfigProfileName | null = null;
  const rawProfile = source.CONFIG_PROFILE;
  if (rawProfile !== undefined && rawProfile !== '') {
    const r = z.enum(configProfileNames).safeParse(rawProfile.trim());
    if (r.success) {
      profile = r.data;
      vars.push('CONFIG_PROFILE');
    } else issues.push({ path: 'env.CONFIG_PROFILE', rule: 'env', message: `CONFIG_PROFILE must be one of ${configProfileNames.join(', ')}` });
  }
  return { patch, profile, vars, issues };
}
