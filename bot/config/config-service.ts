/**
 * The config service: the owner of the live configuration.
 *
 * It composes the layers (defaults ← profile ← file ← env ← console, layers.ts), validates the WHOLE result (schema,
 * strategy params, guardrails), refuses with field paths, applies hot changes to every registered target at once
 * (targets.ts: all or none), keeps restart-required changes pending until the next start (pendingApplied()),
 * hashes each version (sha256 of stable JSON), journals it with its layers and diff (store.config), audits every
 * operator action (store.audit) and publishes `config.changed`.
 *
 * Invariants:
 * - `desired` is what operators asked for (the latest version); `running` is what the parts run; the difference is
 *   restart-required only (`pending`). At process start running = desired.
 * - One change at a time: every change runs to completion synchronously; a change started from inside another
 *   (a target or an event handler) is refused as a conflict. `expectVersion` turns a concurrent edit into a conflict.
 * - A refusal changes nothing: no target, no journal row, no layer; the refusal itself is audited.
 * - mode 'offline' (the CLI with no console running): nothing runs, so every change is pending and journaled as such;
 *   the server applies it at its next start.
 */
import { runtimeConfigSchema, type ConfigProfileName, type RuntimeConfig } from '../../lib/schemas/config';
import type { ConfigApplyResult, ConfigChange, ConfigField, ConfigVersionSummary } from '../../lib/schemas/config-api';
import type { EventInput } from '../../lib/schemas/events';
import type { Store } from '../store';
import { hashConfig } from './config-hash';
import { describeFields } from './describe';
import { diffConfigs } from './diff';
import type { EnvLayer } from './env-layer';
import { ConfigError, formatIssues, isConfigError } from './errors';
import type { GuardrailContext } from './guardrails';
import { projectHot } from './hot-split';
import { chooseProfile, composeLayers, sourceOf, type ConfigLayers, type ProfileChoice } from './layers';
import { checkPatch, cloneJson, createMergePatch, isPlainObject, jsonEqual, mergePatch, pruneEmptyObjects, type JsonObject } from './merge-patch';
import { getProfile, isProfileName, listProfiles } from './profiles';
import { applyToTargets, type ConfigTarget } from './targets';
import { fromZod, validateConfig } from './validate';
import { leafPaths, pathsToPatch, removePaths, summarizeDiff } from './summary';
import { writeConfigFile, type ConfigFileRead } from './config-file';
import { journalStart, persisted } from './start-journal';

export interface ConfigServiceOptions {
  store: Pick<Store, 'config' | 'audit'>;
  nowMs: () => number;
  guard: GuardrailContext;
  file: ConfigFileRead;
  env: EnvLayer;
  mode: 'server' | 'offline';
  publish?: (e: EventInput<'config.changed'>) => void;
}

export interface ChangeOptions {
  dryRun?: boolean;
  expectVersion?: number;
}

type Kind = 'apply' | 'revert' | 'profile';

interface State {
  version: number;
  hash: string;
  layers: ConfigLayers;
  desired: RuntimeConfig;
  running: RuntimeConfig;
}

export class ConfigService {
  private state: State;
  private readonly targets: ConfigTarget[] = [];
  private busy = false;
  private publish: ((e: EventInput<'config.changed'>) => void) | undefined;

  constructor(private readonly opts: ConfigServiceOptions) {
    this.publish = opts.publish;
    const pre = [...opts.file.issues, ...opts.env.issues];
    if (pre.length) throw new ConfigError('refused', `configuration refused:\n${formatIssues(pre)}`, pre);
    const latest = opts.store.config.latest();
    const layers: ConfigLayers = {
      profile: chooseProfile(latest?.layers.profile ?? null, opts.env.profile, isProfileName),
      file: opts.file.patch,
      env: opts.env.patch,
      console: latest?.layers.console ?? {},
    };
    const v = validateConfig(composeLayers(layers), opts.guard);
    if (!v.ok) {
      const issues = v.issues.map((i) => ({ ...i, message: `${i.message} (value from the ${sourceOf(layers, i.path.split('.'))} layer)` }));
      throw new ConfigError('refused', `configuration refused:\n${formatIssues(issues)}`, issues);
    }
    const hash = hashConfig(v.config);
    this.state = { version: latest?.version ?? 0, hash, layers, desired: v.config, running: v.config };
    if (opts.mode === 'server') this.state.version = journalStart(opts.store, opts.nowMs(), latest, { hash, desired: v.config, layers: persisted(layers) });
  }

  /** Where `config.changed` goes (the runtime's bus, once it exists). */
  connect(publish: (e: EventInput<'config.changed'>) => void): void {
    this.publish = publish;
  }

  /** Add a part that reads hot fields; returns the unregister function. */
  register(target: ConfigTarget): () => void {
    if (this.targets.some((t) => t.name === target.name)) throw new Error(`config target '${target.name}' is already registered`);
    this.targets.push(target);
    return () => {
      const i = this.targets.indexOf(target);
      if (i >= 0) this.targets.splice(i, 1);
    };
  }

  get version(): number {
    return this.state.version;
  }
  get hash(): string {
    return this.state.hash;
  }
  /** What the parts run (hand this to the runtime at start). */
  effective(): RuntimeConfig {
    return cloneJson(this.state.running);
  }
  /** The latest version: effective plus pending restart-required changes. */
  desired(): RuntimeConfig {
    return cloneJson(this.state.desired);
  }
  pending(): ConfigChange[] {
    return diffConfigs(this.state.running, this.state.desired);
  }
  profile(): ProfileChoice {
    return { ...this.state.layers.profile };
  }
  layers(): ConfigLayers {
    return cloneJson(this.state.layers);
  }
  /** Where the layers come from: the profile choice, the config file, the environment variables that are set. */
  sources(): { profile: ProfileChoice; file: { path: string; exists: boolean }; envVars: string[] } {
    return { profile: this.profile(), file: { path: this.opts.file.path, exists: this.opts.file.exists }, envVars: [...this.opts.env.vars] };
  }
  describe(): ConfigField[] {
    return describeFields(this.state.desired, this.state.layers);
  }

  /**
   * At a (re)start: pending restart-required changes become live. `keep` names top-level fields the starting part
   * cannot change (the runtime's mode, venue, simulator and autoStart are fixed for the life of the process): they
   * stay pending until the process restarts. Returns the config to start with.
   */
  pendingApplied(actor = 'system', opts: { keep?: readonly string[] } = {}): RuntimeConfig {
    const pending = this.pending();
    if (pending.length === 0 || this.opts.mode === 'offline') return this.effective();
    const next = cloneJson(this.state.desired) as unknown as Record<string, unknown>;
    const running = this.state.running as unknown as Record<string, unknown>;
    for (const k of opts.keep ?? []) if (k in running) next[k] = cloneJson(running[k] as never);
    const candidate = next as unknown as RuntimeConfig;
    const applied = diffConfigs(this.state.running, candidate);
    if (applied.length === 0) return this.effective();
    const v = validateConfig(candidate, this.opts.guard);
    if (!v.ok) {
      const issues = v.issues.map((i) => ({ ...i, message: `${i.message} (the restart-required changes cannot be applied without the fields that need a process restart)` }));
      throw new ConfigError('refused', `configuration refused at start:\n${formatIssues(issues)}`, issues);
    }
    this.state = { ...this.state, running: v.config };
    const paths = applied.map((c) => c.path);
    const left = this.pending();
    if (left.length === 0) this.opts.store.config.setStatus(this.state.version, 'applied');
    this.opts.store.audit.record(this.opts.nowMs(), actor, 'config.pending_applied', { version: this.state.version, hash: this.state.hash, applied: paths, stillPending: left.map((c) => c.path) });
    this.emit('restart', actor, left.length ? 'restart-required changes applied at start (some wait for a process restart)' : 'restart-required changes applied at start', 'startup', applied, [], left.map((c) => c.path));
    return this.effective();
  }

  /** Apply a JSON merge patch to the console layer. */
  apply(patch: unknown, actor: string, reason: string, source: string, opts: ChangeOptions = {}): ConfigApplyResult {
    return this.guarded('apply', actor, reason, source, opts, () => {
      const issues = isPlainObject(patch) ? checkPatch(patch) : [{ path: '(root)', rule: 'patch.not_object', message: 'a config patch is a JSON object' }];
      if (issues.length) throw new ConfigError('refused', 'unsafe patch', issues);
      return { ...this.state.layers, console: mergePatch(this.state.layers.console, patch) as JsonObject };
    });
  }

  /**
   * Make an earlier version's config current again: its profile choice, and a console layer that pins every field
   * where the layers below now differ from it (so later file edits are undone too). Fields set by environment
   * variables keep the environment's value; the result then differs from that version (see `note`).
   */
  revert(version: number, actor: string, reason: string, source: string, opts: ChangeOptions = {}): ConfigApplyResult {
    const rec = this.opts.store.config.get(version);
    if (!rec) throw new ConfigError('not_found', `no configuration version ${version}`);
    const result = this.guarded('revert', actor, `revert to version ${version}: ${reason}`, source, opts, () => {
      const target = runtimeConfigSchema.safeParse(rec.config);
      if (!target.success) throw new ConfigError('refused', `version ${version} no longer fits the config schema`, fromZod(target.error.issues, ''));
      const below: ConfigLayers = { ...this.state.layers, profile: chooseProfile(rec.layers.profile, this.opts.env.profile, isProfileName), console: {} };
      const base = runtimeConfigSchema.safeParse(composeLayers(below));
      const pins = createMergePatch(base.success ? base.data : composeLayers(below), target.data) as JsonObject;
      const envPaths = leafPaths(pins).filter((p) => sourceOf(below, p.split('.')) === 'env');
      return { ...below, console: envPaths.length ? removePaths(pins, pathsToPatch(envPaths)) : pins };
    });
    if (result.hash !== rec.hash) result.note = `environment variables override part of version ${version} (hash differs)`;
    return result;
  }

  /** Choose a profile; operator edits of the fields it sets are dropped so that its values show. */
  selectProfile(name: ConfigProfileName, actor: string, reason: string, source: string, opts: ChangeOptions = {}): ConfigApplyResult {
    if (!isProfileName(name)) throw new ConfigError('refused', 'unknown profile', [{ path: 'profile', rule: 'profile', message: `unknown profile '${String(name)}'` }]);
    const patch = getProfile(name).patch;
    let next: ConfigLayers | undefined;
    const result = this.guarded('profile', actor, `profile ${name}: ${reason}`, source, opts, () => {
      next = { ...this.state.layers, profile: { name, from: 'console' }, console: removePaths(this.state.layers.console, patch) };
      return next;
    });
    const n = next;
    if (n) result.shadowed = leafPaths(patch).filter((p) => ['file', 'env'].includes(sourceOf(n, p.split('.'))));
    return result;
  }

  /** Offline (CLI): merge `patch` into the config file layer; an operator edit of the same field is dropped. */
  applyToFile(patch: unknown, actor: string, reason: string, source: string, opts: ChangeOptions = {}): ConfigApplyResult {
    let next: ConfigLayers | undefined;
    const result = this.guarded('apply', actor, reason, source, { ...opts, writeFile: true }, () => {
      const issues = isPlainObject(patch) ? checkPatch(patch) : [{ path: '(root)', rule: 'patch.not_object', message: 'a config patch is a JSON object' }];
      if (issues.length) throw new ConfigError('refused', 'unsafe patch', issues);
      next = { ...this.state.layers, file: mergePatch(this.state.layers.file, patch) as JsonObject, console: removePaths(this.state.layers.console, patch as JsonObject) };
      return next;
    });
    const n = next;
    if (n && isPlainObject(patch)) result.shadowed = leafPaths(patch).filter((p) => sourceOf(n, p.split('.')) === 'env');
    return result;
  }

  history(limit = 50): ConfigVersionSummary[] {
    return this.opts.store.config.history(limit).map((r) => ({
      version: r.version,
      tsMs: r.tsMs,
      actor: r.actor,
      source: r.source,
      reason: r.reason,
      hash: r.hash,
      status: r.status,
      profile: r.layers.profile,
      diff: r.diff,
    }));
  }

  profiles(): { active: ProfileChoice; profiles: { name: ConfigProfileName; description: string; patch: JsonObject }[] } {
    return { active: this.profile(), profiles: listProfiles() };
  }

  private guarded(kind: Kind, actor: string, reason: string, source: string, opts: ChangeOptions & { writeFile?: boolean }, nextLayers: () => ConfigLayers): ConfigApplyResult {
    if (this.busy) throw new ConfigError('conflict', 'another configuration change is being applied; try again');
    this.busy = true;
    let after: (() => void) | undefined;
    try {
      const r = this.commit(kind, nextLayers(), actor, reason, source, opts);
      after = r.after;
      return r.result;
    } catch (err) {
      if (!opts.dryRun && isConfigError(err)) this.auditRefusal(kind, actor, reason, source, err);
      throw err;
    } finally {
      this.busy = false;
      after?.();
    }
  }

  private commit(kind: Kind, merged: ConfigLayers, actor: string, reason: string, source: string, opts: ChangeOptions & { writeFile?: boolean }): { result: ConfigApplyResult; after?: () => void } {
    const s = this.state;
    const stored = this.opts.store.config.latestVersion();
    if (opts.expectVersion !== undefined && (opts.expectVersion !== s.version || stored !== s.version)) {
      throw new ConfigError('conflict', `the configuration is at version ${Math.max(s.version, stored)}, not ${opts.expectVersion}: reload it and try again`);
    }
    // Validated as merged (an unknown key is refused even when its value is an empty object), then stored without
    // empty override objects: a patch that only deletes what no layer has leaves the layers as they were (a no-op).
    const v = validateConfig(composeLayers(merged), this.opts.guard);
    if (!v.ok) throw new ConfigError('refused', `configuration refused:\n${formatIssues(v.issues)}`, v.issues);
    const layers: ConfigLayers = { ...merged, file: pruneEmptyObjects(merged.file), console: pruneEmptyObjects(merged.console) };
    const desired = v.config;
    const hash = hashConfig(desired);
    const offline = this.opts.mode === 'offline';
    const running = offline ? s.running : projectHot(s.running, desired);
    if (!offline && hashConfig(running) !== hash) {
      const r = validateConfig(running, this.opts.guard);
      if (!r.ok) {
        const issues = r.issues.map((i) => ({ ...i, message: `${i.message} (while restart-required changes wait, the running config would break this rule)` }));
        throw new ConfigError('refused', `configuration refused:\n${formatIssues(issues)}`, issues);
      }
    }
    const diff = diffConfigs(s.desired, desired);
    const hotChanges = offline ? [] : diffConfigs(s.running, running);
    const pending = diffConfigs(running, desired);
    const hot = hotChanges.map((c) => c.path);
    const sameLayers = jsonEqual(persisted(layers), persisted(s.layers)) && jsonEqual(layers.file, s.layers.file);
    const base = { dryRun: opts.dryRun === true, diff, hot, pending };
    if (sameLayers && hash === s.hash) return { result: { ...base, applied: false, changed: false, version: s.version, hash, hot: [], diff: [] } };
    if (opts.dryRun) return { result: { ...base, applied: false, changed: true, version: s.version, hash } };
    const store = this.opts.store;
    const now = this.opts.nowMs();
    const version = store.config.transaction(() => {
      const ver = store.config.append({ tsMs: now, actor, source, reason, hash, status: pending.length ? 'pending' : 'applied', config: desired, layers: persisted(layers), diff });
      store.audit.record(now, actor, `config.${kind}`, { version: ver, hash, reason, source, diff: summarizeDiff(diff), hot, pending: pending.map((c) => c.path) });
      applyToTargets(this.targets, cloneJson(running), cloneJson(s.running), hot);
      if (opts.writeFile) writeConfigFile(this.opts.file.path, layers.file);
      return ver;
    });
    this.state = { version, hash, layers, desired, running };
    return {
      result: { ...base, applied: true, changed: true, version, hash },
      after: () => this.emit(kind, actor, reason, source, diff, hot, pending.map((c) => c.path)),
    };
  }

  private auditRefusal(kind: Kind, actor: string, reason: string, source: string, err: ConfigError): void {
    try {
      this.opts.store.audit.record(this.opts.nowMs(), actor, `config.${kind}.${err.kind}`, { reason, source, message: err.message.slice(0, 500), issues: err.issues.slice(0, 20), version: this.state.version });
    } catch {
      // auditing a refusal must never turn it into another error
    }
  }

  private emit(kind: Kind | 'restart', actor: string, reason: string, source: string, diff: ConfigChange[], hot: string[], pending: string[]): void {
    try {
      this.publish?.({
        type: 'config.changed',
        version: this.state.version,
        hash: this.state.hash,
        kind,
        actor,
        reason: reason.slice(0, 500),
        source,
        diff: summarizeDiff(diff),
        changed: diff.length,
        hot: hot.slice(0, 200),
        pending: pending.slice(0, 200),
      });
    } catch {
      // the bus turns handler errors into runtime.error; a missing bus is not the change's problem
    }
  }
}
