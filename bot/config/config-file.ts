/**
 * The config file layer: `<DATA_DIR>/config.json` (or CONFIG_FILE), a JSON object read as a merge patch over the
 * profile. A missing file is an empty layer; a file that is not a JSON object, or carries unsafe keys or values
 * (merge-patch.ts checkPatch), is an issue naming the file, never a silent default. Writes are atomic
 * (temporary file + rename) and pretty-printed for people who edit it by hand.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConfigIssue } from '../../lib/schemas/config-api';
import { checkPatch, isPlainObject, type JsonObject } from './merge-patch';

export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

export function configFilePath(dataDir: string, configFile?: string): string {
  return resolve(configFile && configFile.length > 0 ? configFile : join(dataDir, 'config.json'));
}

export interface ConfigFileRead {
  path: string;
  exists: boolean;
  patch: JsonObject;
  issues: ConfigIssue[];
}

export function readConfigFile(path: string): ConfigFileRead {
  if (!existsSync(path)) return { path, exists: false, patch: {}, issues: [] };
  const fail = (message: string): ConfigFileRead => ({ path, exists: true, patch: {}, issues: [{ path: 'file', rule: 'file', message: `${path}: ${message}` }] });
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return fail(`cannot read (${err instanceof Error ? err.message : String(err)})`);
  }
  if (text.length > MAX_CONFIG_FILE_BYTES) return fail(`larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
  if (text.trim() === '') return { path, exists: true, patch: {}, issues: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (!isPlainObject(json)) return fail('must hold a JSON object (a merge patch over the defaults and profile)');
  const issues = checkPatch(json).map((i) => ({ ...i, message: `${path}: ${i.message}` }));
  return { path, exists: true, patch: issues.length ? {} : json, issues };
}

export function writeConfigFile(path: string, patch: JsonObject): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(patch, null, 2)}\n`, { mode: 0o644 });
  renameSync(tmp, path);
}
