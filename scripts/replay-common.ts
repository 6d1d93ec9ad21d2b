/**
 * Shared by the replay, backtest, sweep and sessions commands: flag parsing with clear errors (exit 2), where the
 * data directory is (DATA_DIR, default ./data/live like `npm start`), resolving a session reference (an id from the
 * store's index, a recording directory, the real sample's folder, a seed-001 CSV with --markets) and the config.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { importCacheDirOf, type ImportCacheEvent } from '../bot/replay/import-cache';
import { openSession } from '../bot/replay/open-session';
import type { SessionSource } from '../bot/replay/session';
import { openStore } from '../bot/store';

export const DATA_DIR = resolve(process.env.DATA_DIR ?? './data/live');

export class UsageError extends Error {}

export function parseFlags<T extends ParseArgsConfig['options']>(argv: string[], options: T, usage: string) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${usage}`);
  }
}

/** Look a session id up in the store's index (when the data directory has a database). */
export function lookupSessionId(id: string, dataDir = DATA_DIR): string | undefined {
  const file = join(dataDir, 'updown.sqlite');
  if (!existsSync(file)) return undefined;
  const store = openStore(file);
  try {
    return store.recordings.get(id)?.dir;
  } finally {
    store.close();
  }
}

/** Where imported Parquet folders are kept for the next run (bot/replay/import-cache.ts). */
export const IMPORT_CACHE_DIR = importCacheDirOf(DATA_DIR);

/** Tell the user when an import-cache entry was unusable (it is imported again) or could not be written. */
export function reportCacheEvent(e: ImportCacheEvent): void {
  process.stderr.write(e.kind === 'rejected' ? `import cache: entry ${e.path} rejected (${e.reason}); imported again\n` : `import cache: could not keep the import at ${e.path} (${e.reason})\n`);
}

export async function resolveSession(ref: string, markets?: string): Promise<SessionSource> {
  return openSession(ref, { dataDir: DATA_DIR, ...(markets ? { markets } : {}), lookupId: (id) => lookupSessionId(id), importCache: { dir: IMPORT_CACHE_DIR, onEvent: reportCacheEvent } });
}

export function positiveNumber(name: string, v: string | undefined, usage: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a number >= 0 (got "${v}")\n${usage}`);
  return n;
}

/** Run a command's main: usage errors exit 2, other errors exit 1, both with one clear line on stderr. */
export function runMain(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
