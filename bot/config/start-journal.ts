/**
 * What a server start writes to the config journal: nothing when the composed config is the latest version (a
 * pending latest version becomes applied: its restart-required changes are live now), otherwise a new `startup`
 * version with the diff against the latest one (the file, the environment or CONFIG_PROFILE changed), or the
 * initial version on an empty journal. Returns the current version number.
 */
import type { RuntimeConfig } from '../../lib/schemas/config';
import type { ConfigChange } from '../../lib/schemas/config-api';
import type { ConfigLayersRecord, ConfigVersionRecord, Store } from '../store';
import { diffConfigs } from './diff';
import type { ConfigLayers } from './layers';
import { summarizeDiff } from './summary';
import { validateConfig } from './validate';

/** The operator-owned layers a journal row keeps: the console layer and a profile chosen in the console. */
export function persisted(l: ConfigLayers): ConfigLayersRecord {
  return { profile: l.profile.from === 'console' ? l.profile.name : null, console: l.console };
}

export function journalStart(
  store: Pick<Store, 'config' | 'audit'>,
  nowMs: number,
  latest: ConfigVersionRecord | undefined,
  current: { hash: string; desired: RuntimeConfig; layers: ConfigLayersRecord },
): number {
  if (latest && latest.hash === current.hash) {
    if (latest.status === 'pending') {
      store.config.setStatus(latest.version, 'applied');
      store.audit.record(nowMs, 'system', 'config.pending_applied', { version: latest.version, hash: current.hash, applied: latest.diff.map((d) => d.path) });
    }
    return latest.version;
  }
  let diff: ConfigChange[] = [];
  if (latest) {
    // The old version is read with permissive guardrails: only its fields matter for the diff.
    const prev = validateConfig(latest.config, { hasLiveCredentials: () => true, host: '127.0.0.1', consoleTokenSet: true });
    diff = prev.ok ? diffConfigs(prev.config, current.desired) : [{ path: '(root)', to: 'recomposed', hot: false }];
  }
  const reason = latest ? 'start: the config file, environment or profile changed' : 'initial configuration';
  const version = store.config.append({ tsMs: nowMs, actor: 'system', source: 'startup', reason, hash: current.hash, status: 'applied', config: current.desired, layers: current.layers, diff });
  store.audit.record(nowMs, 'system', 'config.startup', { version, hash: current.hash, reason, diff: summarizeDiff(diff) });
  return version;
}
