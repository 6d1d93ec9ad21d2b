/**
 * The configuration a replay, backtest or sweep runs with: the schema's defaults, then (optionally) a config file
 * (a JSON merge patch, the same format as the runtime's `config.json`), then `--set path=value` overrides.
 * Validated whole with the runtime's own schema; a bad file or value is an Error naming the field, never a
 * partial config.
 */
import { defaultRuntimeConfig, runtimeConfigSchema, type RuntimeConfig } from '../../lib/schemas/config';
import { readConfigFile } from '../config/config-file';
import { mergePatch } from '../config/merge-patch';
import { patchForPath, resolvePath } from '../config/path-patch';

export function loadReplayConfig(opts: { file?: string; set?: readonly string[] } = {}): RuntimeConfig {
  let candidate: unknown = defaultRuntimeConfig();
  if (opts.file) {
    const f = readConfigFile(opts.file);
    if (!f.exists) throw new Error(`config file ${opts.file} does not exist`);
    if (f.issues.length) throw new Error(f.issues.map((i) => i.message).join('; '));
    candidate = mergePatch(candidate, f.patch);
  }
  for (const s of opts.set ?? []) {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new Error(`--set expects path=value (got "${s}")`);
    const path = s.slice(0, eq);
    const text = s.slice(eq + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    candidate = mergePatch(candidate, patchForPath(candidate, resolvePath(candidate, path), value));
  }
  const r = runtimeConfigSchema.safeParse(candidate);
  if (!r.success) {
    throw new Error(`invalid config: ${r.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  }
  return r.data;
}
