/**
 * Opening the config service for a data directory: the config file (`<DATA_DIR>/config.json` or CONFIG_FILE), the
 * environment layer, the store's journal. Used by the server (lib/server/runtime-registry.ts, mode 'server') and by
 * `npm run config` when no console answers (mode 'offline').
 */
import type { Store } from '../store';
import { configFilePath, readConfigFile } from './config-file';
import { ConfigService } from './config-service';
import { envLayer } from './env-layer';
import type { GuardrailContext } from './guardrails';

export interface OpenConfigOptions {
  dataDir: string;
  /** CONFIG_FILE, when set. */
  configFile?: string;
  /** The environment (process.env at the edge). */
  env: Readonly<Record<string, string | undefined>>;
  store: Pick<Store, 'config' | 'audit'>;
  nowMs: () => number;
  guard: GuardrailContext;
  mode: 'server' | 'offline';
}

export function openConfigService(o: OpenConfigOptions): ConfigService {
  return new ConfigService({
    store: o.store,
    nowMs: o.nowMs,
    guard: o.guard,
    file: readConfigFile(configFilePath(o.dataDir, o.configFile)),
    env: envLayer(o.env),
    mode: o.mode,
  });
}
